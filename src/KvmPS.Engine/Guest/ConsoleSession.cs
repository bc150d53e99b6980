using KvmPS.Engine.Native;

namespace KvmPS.Engine.Guest;

/// <summary>
/// A VM's serial console through virDomainOpenConsole and a non-blocking stream. libvirt's
/// default event loop (which the module runs) reads the socket, so Receive only takes what has
/// arrived; nothing here blocks, and any thread may poll. Closing finishes the stream, which
/// frees the console for the next client.
/// </summary>
public sealed class ConsoleSession : IConsoleChannel, IDisposable
{
    private const uint VIR_STREAM_NONBLOCK = 1;
    private readonly StreamHandle _stream;
    private bool _ended;

    private ConsoleSession(StreamHandle stream) => _stream = stream;

    /// <summary>Opens <paramref name="device"/> (null: the first console or serial); <paramref name="force"/> takes it from another client.</summary>
    public static ConsoleSession Open(LibvirtConnection conn, DomainHandle h, string? device, bool force)
    {
        IntPtr sp = Libvirt.virStreamNew(conn.Handle, VIR_STREAM_NONBLOCK);
        if (sp == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError("virStreamNew");
        }
        var stream = new StreamHandle(sp);
        try
        {
            uint flags = Libvirt.VIR_DOMAIN_CONSOLE_SAFE | (force ? Libvirt.VIR_DOMAIN_CONSOLE_FORCE : 0);
            LibvirtException.Check(Libvirt.virDomainOpenConsole(h, device, stream, flags), "virDomainOpenConsole");
            return new ConsoleSession(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public unsafe int Receive(Span<byte> buffer)
    {
        if (_ended)
        {
            return -1;
        }
        int n;
        fixed (byte* p = buffer)
        {
            n = Libvirt.virStreamRecv(_stream, p, (nuint)buffer.Length);
        }
        if (n == -2)
        {
            return 0; // nothing has arrived yet
        }
        if (n < 0)
        {
            throw LibvirtException.FromLastError("virStreamRecv");
        }
        if (n == 0)
        {
            _ended = true;
            return -1;
        }
        return n;
    }

    public unsafe void Send(ReadOnlySpan<byte> data)
    {
        int offset = 0;
        while (offset < data.Length)
        {
            int n;
            fixed (byte* p = data)
            {
                n = Libvirt.virStreamSend(_stream, p + offset, (nuint)(data.Length - offset));
            }
            if (n == -2)
            {
                Thread.Sleep(5); // the socket is full for now
                continue;
            }
            offset += LibvirtException.Check(n, "virStreamSend");
        }
    }

    public void Dispose()
    {
        if (!_stream.IsClosed)
        {
            if (Libvirt.virStreamFinish(_stream) < 0)
            {
                Libvirt.virStreamAbort(_stream);
                Libvirt.virResetLastError();
            }
            _stream.Dispose();
        }
    }
}
