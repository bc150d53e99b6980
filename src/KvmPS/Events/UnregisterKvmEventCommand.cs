using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Events;

namespace KvmPS.Commands;

/// <summary>Ends Register-KvmEvent registrations of this session (all of them without -SourceIdentifier).</summary>
[Cmdlet(VerbsLifecycle.Unregister, "KvmEvent", SupportsShouldProcess = true)]
public sealed class UnregisterKvmEventCommand : KvmEventCmdlet
{
    /// <summary>Source identifiers of the registrations (wildcards allowed); every KvmPS registration when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string[]? SourceIdentifier { get; set; }

    protected override void ProcessRecordCore()
    {
        var ours = Events.Subscribers.Where(s => KvmEventSubscribers.Of(s) is not null).ToList();
        foreach (string typed in SourceIdentifier ?? new[] { "*" })
        {
            var match = NameMatch.For(typed);
            var hits = ours.Where(s => string.Equals(s.SourceIdentifier, typed, StringComparison.OrdinalIgnoreCase)
                || (match.IsWildcard && match.Matches(s.SourceIdentifier))).ToList();
            if (hits.Count == 0 && !match.IsWildcard)
            {
                WriteError(ErrorHelper.NotFound("KvmPS event registration", typed, "RegistrationNotFound", typed));
                continue;
            }
            foreach (PSEventSubscriber s in hits)
            {
                if (ShouldProcess(s.SourceIdentifier, "Unregister KvmPS event registration"))
                {
                    EventSubscription sub = KvmEventSubscribers.Of(s)!;
                    Events.UnsubscribeEvent(s);
                    foreach (EventHub hub in EventHub.Of(Session))
                    {
                        hub.Remove(sub);
                    }
                    ours.Remove(s);
                }
            }
        }
    }
}
