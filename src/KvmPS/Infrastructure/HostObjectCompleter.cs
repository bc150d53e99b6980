using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>
/// Completion of names of objects on the host the command line points at: its -Uri, else the host
/// of a VM object bound or piped into the command, else the session default. A host that cannot
/// be asked offers nothing (an empty list, so PowerShell does not fall back to file names).
/// </summary>
public abstract class HostObjectCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string raw = wordToComplete ?? "";
        char? quote = raw.Length > 0 && raw[0] is '\'' or '"' ? raw[0] : null;
        string word = raw.Trim('\'', '"');
        string prefix = Prefix(word);
        var pattern = WildcardPattern.Get(word[prefix.Length..] + "*", WildcardOptions.IgnoreCase);
        List<string> names;
        try
        {
            KvmSessionState session = KvmSessionState.Current;
            string uri = session.ResolveUri(CompletionContext.Uri(fakeBoundParameters, commandAst));
            names = Names(session.GetConnection(uri), fakeBoundParameters, commandAst);
        }
        catch (Exception e) when (e is LibvirtException or InvalidOperationException or KvmConnectionLostException or DllNotFoundException
                                      or System.Xml.XmlException)
        {
            // No host to ask (no runspace, daemon down, no libvirt): nothing to offer.
            return Array.Empty<CompletionResult>();
        }
        return names.Distinct(StringComparer.Ordinal).Where(n => pattern.IsMatch(n)).Order(StringComparer.OrdinalIgnoreCase)
            .Select(n => new CompletionResult(Quote(prefix + n, quote), n, CompletionResultType.ParameterValue, Tooltip(n)));
    }

    private protected virtual List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters) => new();

    /// <summary>The names to offer; override this one to see the command line itself (what is piped in).</summary>
    private protected virtual List<string> Names(LibvirtConnection conn, IDictionary fakeBoundParameters, CommandAst commandAst) =>
        Names(conn, fakeBoundParameters);

    /// <summary>A part of the typed word that is not the name and stays as typed (e.g. '+' of a CPU feature).</summary>
    private protected virtual string Prefix(string word) => "";

    private protected virtual string Tooltip(string name) => name;

    // Quoted when typed quoted, when it holds a character PowerShell would parse, or when it starts
    // with '-' (a bare -svm is a parameter name).
    private static string Quote(string name, char? typed) =>
        typed is not null || name.StartsWith('-')
            || name.IndexOfAny(new[] { ' ', '$', '`', '\'', '"', '(', ')', ';', ',', '&', '|', '{', '}', '@', '#' }) >= 0
            ? "'" + name.Replace("'", "''") + "'"
            : name;
}
