namespace KvmPS.Engine.Guest;

/// <summary>A byte channel to a console: non-blocking receive, send of all bytes.</summary>
public interface IConsoleChannel
{
    /// <summary>Bytes received into <paramref name="buffer"/>: 0 when none are waiting, -1 at the end (the console closed).</summary>
    int Receive(Span<byte> buffer);

    void Send(ReadOnlySpan<byte> data);
}
