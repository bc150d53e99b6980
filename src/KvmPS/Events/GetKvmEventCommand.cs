using System.Management.Automation;
using KvmPS.Engine.Events;

namespace KvmPS.Commands;

/// <summary>
/// Gets the events a host sent since KvmPS started listening to it (from a bounded buffer), or
/// with -Registration the session's Register-KvmEvent registrations.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KvmEvent", DefaultParameterSetName = "Event")]
[OutputType(typeof(KvmEvent), ParameterSetName = new[] { "Event" })]
[OutputType(typeof(KvmEventRegistration), ParameterSetName = new[] { "Registration" })]
public sealed class GetKvmEventCommand : KvmEventCmdlet
{
    /// <summary>Only events of these kinds.</summary>
    [Parameter(Position = 0, ParameterSetName = "Event")]
    public KvmEventType[]? EventType { get; set; }

    /// <summary>Only events of these VMs (wildcards allowed).</summary>
    [Parameter(ParameterSetName = "Event", ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string[]? VMName { get; set; }

    /// <summary>Only events that arrived at or after this time.</summary>
    [Parameter(ParameterSetName = "Event")]
    public DateTime Since { get; set; }

    /// <summary>Only the newest events, at most this many.</summary>
    [Parameter(ParameterSetName = "Event")]
    [ValidateRange(1, int.MaxValue)]
    public int Newest { get; set; }

    /// <summary>Starts listening to the host when KvmPS does not yet (so later calls show what arrives).</summary>
    [Parameter(ParameterSetName = "Event")]
    public SwitchParameter Listen { get; set; }

    /// <summary>Lists the session's Register-KvmEvent registrations instead of events.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Registration")]
    public SwitchParameter Registration { get; set; }

    protected override void ProcessRecordCore()
    {
        if (Registration)
        {
            foreach (EventSubscription s in Events.Subscribers.Select(KvmEventSubscribers.Of).OfType<EventSubscription>())
            {
                WriteObject(s.Describe());
            }
            return;
        }
        EventHub? hub = Listen ? StartHub() : EventHub.Find(Session, EffectiveUri);
        if (hub is null)
        {
            WriteVerbose($"KvmPS is not listening to the events of '{EffectiveUri}': Register-KvmEvent, Wait-KvmEvent or Get-KvmEvent -Listen start it.");
            return;
        }
        WriteNotices(hub);
        var query = new EventQuery(EventType, VMName, null, MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since.ToUniversalTime() : null);
        List<KvmEvent> hits = hub.Buffer.Snapshot().Where(query.Matches).ToList();
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Newest)) && Newest is int n && hits.Count > n)
        {
            hits = hits.GetRange(hits.Count - n, n);
        }
        hits.ForEach(e => WriteObject(e));
    }
}
