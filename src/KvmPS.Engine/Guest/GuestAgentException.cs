namespace KvmPS.Engine.Guest;

/// <summary>A guest agent failure, classified (<see cref="Failure"/>) with a message that says what to do about it.</summary>
public sealed class GuestAgentException : Exception
{
    public GuestAgentException(GuestAgentFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    public GuestAgentFailure Failure { get; }

    /// <summary>The stable ErrorId of this failure.</summary>
    public string ErrorId => Failure switch
    {
        GuestAgentFailure.Absent => "GuestAgentNotConfigured",
        GuestAgentFailure.NotRunning => "GuestAgentNotRunning",
        GuestAgentFailure.CommandDisabled => "GuestAgentCommandDisabled",
        GuestAgentFailure.CommandUnknown => "GuestAgentCommandUnknown",
        GuestAgentFailure.VMNotRunning => "VMNotRunning",
        GuestAgentFailure.Timeout => "GuestAgentTimeout",
        GuestAgentFailure.TooLarge => "GuestAgentReplyTooLarge",
        _ => "GuestAgentCommandFailed",
    };
}
