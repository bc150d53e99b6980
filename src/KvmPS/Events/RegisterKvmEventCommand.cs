using System.Management.Automation;
using KvmPS.Engine.Events;

namespace KvmPS.Commands;

/// <summary>
/// Subscribes to libvirt's VM events through PowerShell's eventing, as Register-ObjectEvent does:
/// events queue for Get-Event and Wait-Event under -SourceIdentifier, or run -Action.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "KvmEvent")]
[OutputType(typeof(PSEventJob), typeof(KvmEventRegistration))]
public sealed class RegisterKvmEventCommand : KvmEventCmdlet
{
    /// <summary>Kinds of events to receive.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public KvmEventType[] EventType { get; set; } = Array.Empty<KvmEventType>();

    /// <summary>Only events of these VMs (wildcards allowed); all VMs when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VMNameCompleter))]
    public string[]? VMName { get; set; }

    /// <summary>The name Get-Event, Wait-Event and Unregister-KvmEvent know the registration by (a new GUID when omitted).</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(FreeTextCompleter))]
    public string? SourceIdentifier { get; set; }

    /// <summary>Script block run for each event ($Event.SourceEventArgs is the KvmEvent).</summary>
    [Parameter(Position = 2)]
    public ScriptBlock? Action { get; set; }

    /// <summary>Extra data available as $Event.MessageData.</summary>
    [Parameter]
    public PSObject? MessageData { get; set; }

    /// <summary>Returns the registration (KvmEventRegistration) when there is no -Action job to return.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private readonly List<string> _names = new();

    protected override void ProcessRecordCore() => _names.AddRange(VMName ?? Array.Empty<string>());

    protected override void EndProcessing() => Guarded(Register);

    private void Register()
    {
        string id = string.IsNullOrWhiteSpace(SourceIdentifier) ? Guid.NewGuid().ToString() : SourceIdentifier!;
        if (Events.Subscribers.Any(s => string.Equals(s.SourceIdentifier, id, StringComparison.OrdinalIgnoreCase)))
        {
            WriteError(ErrorHelper.InvalidArgument($"A subscriber with the source identifier '{id}' already exists; choose another or run Unregister-KvmEvent '{id}' first.",
                "SourceIdentifierInUse", id));
            return;
        }
        EventHub hub = StartHub();
        var subscription = new EventSubscription(id, hub.ConnectedUri, EventType, _names);
        PSEventSubscriber subscriber = KvmEventSubscribers.Subscribe(Events, subscription, id, MessageData, Action);
        // Unregister-Event on this identifier ends the registration at the hub too.
        subscriber.Unsubscribed += (_, _) => hub.Remove(subscription);
        hub.Add(subscription);
        WriteVerbose($"Registered '{id}' for {string.Join(", ", EventType)} events of {(_names.Count == 0 ? "every VM" : string.Join(", ", _names))} on '{hub.ConnectedUri}'.");
        if (subscriber.Action is not null)
        {
            WriteObject(subscriber.Action);
        }
        else if (PassThru)
        {
            WriteObject(subscription.Describe());
        }
    }
}
