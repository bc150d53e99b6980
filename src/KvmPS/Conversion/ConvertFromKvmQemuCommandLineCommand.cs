using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Conversion;

namespace KvmPS.Commands;

/// <summary>
/// Reads a QEMU command line into a VM definition (libvirt domain XML) that pipes into Import-KvmVM.
/// Options it does not know, and values it cannot carry, are named in a warning and in the output's
/// Unknown property; a malformed value is an InvalidArgument error with a stable ErrorId.
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "KvmQemuCommandLine")]
[OutputType(typeof(KvmQemuVMDefinition))]
public sealed class ConvertFromKvmQemuCommandLineCommand : KvmCmdletBase
{
    /// <summary>
    /// The command line: one text of shell words (quotes and backslash-newlines as a shell reads
    /// them), or its words one per element. Lines from the pipeline (Get-Content) are joined into one text.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[] CommandLine { get; set; } = Array.Empty<string>();

    /// <summary>Name of the VM (default: QEMU's -name, else qemu-vm).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? Name { get; set; }

    private readonly List<string> _lines = new();
    private bool _piped;

    protected override string? RequestedUri => null;

    protected override object? ErrorTarget => Name;

    protected override void ProcessRecordCore()
    {
        _piped |= MyInvocation.ExpectingInput;
        _lines.AddRange(CommandLine);
    }

    protected override void EndProcessing()
    {
        if (Name is not null && ObjectName.Validate("VM", Name) is string bad)
        {
            WriteError(ErrorHelper.InvalidArgument(bad, "InvalidName", Name));
            return;
        }
        IReadOnlyList<string> input = _piped ? new[] { string.Join("\n", _lines) } : _lines;
        KvmQemuVMDefinition def;
        try
        {
            def = QemuConversion.FromCommandLine(input, Name);
        }
        catch (QemuCommandLineException e)
        {
            WriteError(ErrorHelper.Create(new ArgumentException(e.Message, e), e.ErrorId, ErrorCategory.InvalidArgument, Name ?? (object)string.Join(" ", input)));
            return;
        }
        foreach (string m in def.Mapped)
        {
            WriteVerbose(m);
        }
        if (def.Unknown.Length > 0)
        {
            WriteWarning($"{def.Unknown.Length} option(s) of the command line are not in the definition of '{def.Name}' (see its Unknown property): {string.Join(" | ", def.Unknown)}");
        }
        WriteObject(def);
    }
}
