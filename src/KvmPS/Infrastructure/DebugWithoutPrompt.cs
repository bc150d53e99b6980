using System.Management.Automation;
using System.Reflection;

namespace KvmPS.Commands;

/// <summary>
/// -Debug on a compiled cmdlet makes PowerShell ask "Continue with this operation?" before each
/// verbose (and, in older versions, debug) message; with no console to answer (stdin at EOF, a
/// script run by a service) the host's prompt fails with a NullReferenceException. -Debug is
/// asked for to see the messages: when it was given (and -Verbose was not), both streams are
/// written without asking, as they are for an advanced function. An Inquire preference the user
/// set on purpose ($VerbosePreference = 'Inquire') is left as it is.
/// </summary>
internal static class DebugWithoutPrompt
{
    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    public static void Apply(PSCmdlet cmdlet)
    {
        var bound = cmdlet.MyInvocation.BoundParameters;
        if (!bound.TryGetValue("Debug", out object? debug) || debug is not SwitchParameter { IsPresent: true })
        {
            return;
        }
        ICommandRuntime? runtime = cmdlet.CommandRuntime;
        if (runtime is null)
        {
            return;
        }
        if (!bound.ContainsKey("Verbose") && VariableIsNotInquire(cmdlet, "VerbosePreference") && Get(runtime, "VerbosePreference") is ActionPreference.Inquire)
        {
            // The preference itself is read-only: -Verbose is set as if given with -Debug.
            Set(runtime, "Verbose", true);
        }
        if (VariableIsNotInquire(cmdlet, "DebugPreference"))
        {
            ContinueInsteadOfInquire(runtime, "DebugPreference");
        }
    }

    private static bool VariableIsNotInquire(PSCmdlet cmdlet, string name) =>
        cmdlet.SessionState?.PSVariable.GetValue(name) is not ActionPreference.Inquire;

    private static void ContinueInsteadOfInquire(ICommandRuntime runtime, string property)
    {
        if (Get(runtime, property) is ActionPreference.Inquire)
        {
            Set(runtime, property, ActionPreference.Continue);
        }
    }

    // Another PowerShell may lack these members: its own behaviour then stays.
    private static object? Get(ICommandRuntime runtime, string property)
    {
        try
        {
            return runtime.GetType().GetProperty(property, Internal) is { CanRead: true } p ? p.GetValue(runtime) : null;
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static void Set(ICommandRuntime runtime, string property, object value)
    {
        try
        {
            if (runtime.GetType().GetProperty(property, Internal) is { CanWrite: true } p && p.PropertyType == value.GetType())
            {
                p.SetValue(runtime, value);
            }
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or ArgumentException)
        {
        }
    }
}
