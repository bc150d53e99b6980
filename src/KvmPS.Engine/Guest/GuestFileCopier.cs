using System.Diagnostics;
using System.Security.Cryptography;

namespace KvmPS.Engine.Guest;

/// <summary>
/// Copies a file into or out of a guest through the agent's guest-file-open/read/write/close, in
/// chunks that fit libvirt's remote protocol (a string of at most 4 MiB carries each command and
/// reply, and base64 grows the bytes by a third), and checks the result by SHA-256: the guest's
/// sha256sum when guest-exec is allowed, else by reading the guest's file back.
/// </summary>
public sealed class GuestFileCopier
{
    /// <summary>
    /// Bytes per guest-file-read/-write. libvirt would carry about 3 MiB (4 MiB of base64), but
    /// with qemu-ga 7.2 in the test guest (QEMU 7.2, TCG) a 192 KiB write hung and a 256 KiB one
    /// made libvirt mark the agent unavailable, while 64 KiB (0.37 s) and 128 KiB (0.89 s) worked; 64 KiB keeps a margin.
    /// </summary>
    public const int DefaultChunkBytes = 64 * 1024;

    private readonly GuestAgent _agent;

    public GuestFileCopier(GuestAgent agent, int chunkBytes = DefaultChunkBytes)
    {
        if (chunkBytes <= 0 || chunkBytes * 4L / 3 + 256 > PayloadLimit.StringMaxBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), $"A chunk must be between 1 byte and about 3 MiB to fit libvirt's {PayloadLimit.StringMaxBytes / 1048576} MiB string limit.");
        }
        _agent = agent;
        ChunkBytes = chunkBytes;
    }

    public int ChunkBytes { get; }

    /// <summary>Things the copy could not do but did not fail for (a mode that could not be set).</summary>
    public List<string> Warnings { get; } = new();

    /// <summary>Writes <paramref name="length"/> bytes of <paramref name="source"/> to <paramref name="guestPath"/>; <paramref name="mode"/> (octal) is set with chmod.</summary>
    public KvmGuestFileCopy ToGuest(Stream source, long length, string sourceName, string guestPath, string? mode, string uri, Action<long>? progress, CancellationToken cancel)
    {
        _agent.Require("guest-file-open", "guest-file-write", "guest-file-close");
        var sw = Stopwatch.StartNew();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long handle = GuestAgentJson.ParseHandle(_agent.Send(GuestAgentJson.FileOpen(guestPath, "w"), "guest-file-open"));
        long sent = 0;
        try
        {
            var buffer = new byte[ChunkBytes];
            while (sent < length)
            {
                cancel.ThrowIfCancellationRequested();
                int want = (int)Math.Min(buffer.Length, length - sent);
                int read = source.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
                if (read < want)
                {
                    throw new IOException($"'{sourceName}' ended after {sent + read} of {length} bytes: did it change during the copy?");
                }
                long written = GuestAgentJson.ParseFileWrite(_agent.Send(GuestAgentJson.FileWrite(handle, buffer.AsSpan(0, read)), "guest-file-write"));
                if (written != read)
                {
                    throw new GuestAgentException(GuestAgentFailure.CommandFailed, $"The guest wrote {written} of {read} bytes to '{guestPath}' (is its disk full?).");
                }
                hash.AppendData(buffer, 0, read);
                sent += read;
                progress?.Invoke(sent);
            }
        }
        finally
        {
            Close(handle);
        }
        string local = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
        var (remote, how) = GuestSha256(guestPath, cancel);
        if (remote != local)
        {
            throw new GuestAgentException(GuestAgentFailure.CommandFailed, $"The copy of '{sourceName}' in VM '{_agent.VMName}' at '{guestPath}' differs from the source: SHA-256 {remote} in the guest, {local} here.");
        }
        string? setMode = null;
        if (mode is not null)
        {
            setMode = SetGuestMode(guestPath, mode, cancel) ? mode : null;
        }
        return new KvmGuestFileCopy
        {
            VMName = _agent.VMName, Direction = "ToGuest", Source = sourceName, Destination = guestPath, Length = sent,
            Sha256 = local, VerifiedBy = how, Mode = setMode, Duration = sw.Elapsed, Uri = uri,
        };
    }

    /// <summary>Reads <paramref name="guestPath"/> into <paramref name="destination"/>; the result's Mode is the guest file's (stat), when guest-exec is allowed.</summary>
    public KvmGuestFileCopy FromGuest(string guestPath, Stream destination, string destinationName, string uri, Action<long>? progress, CancellationToken cancel)
    {
        _agent.Require("guest-file-open", "guest-file-read", "guest-file-close");
        var sw = Stopwatch.StartNew();
        string local = ReadAll(guestPath, destination, progress, cancel, out long length);
        var (remote, how) = GuestSha256(guestPath, cancel);
        if (remote != local)
        {
            throw new GuestAgentException(GuestAgentFailure.CommandFailed, $"The copy of '{guestPath}' from VM '{_agent.VMName}' differs from the guest's file (SHA-256 {local} copied, {remote} now in the guest): did the file change during the copy?");
        }
        return new KvmGuestFileCopy
        {
            VMName = _agent.VMName, Direction = "FromGuest", Source = guestPath, Destination = destinationName, Length = length,
            Sha256 = local, VerifiedBy = how, Mode = GuestMode(guestPath, cancel), Duration = sw.Elapsed, Uri = uri,
        };
    }

    /// <summary>Reads a guest file to its end, chunk by chunk; returns its SHA-256 (hex).</summary>
    private string ReadAll(string guestPath, Stream? destination, Action<long>? progress, CancellationToken cancel, out long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long handle = GuestAgentJson.ParseHandle(_agent.Send(GuestAgentJson.FileOpen(guestPath, "r"), "guest-file-open"));
        length = 0;
        try
        {
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                var (data, eof) = GuestAgentJson.ParseFileRead(_agent.Send(GuestAgentJson.FileRead(handle, ChunkBytes), "guest-file-read"));
                destination?.Write(data);
                hash.AppendData(data);
                length += data.Length;
                progress?.Invoke(length);
                if (eof || data.Length == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            Close(handle);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private void Close(long handle)
    {
        try
        {
            _agent.Send(GuestAgentJson.FileClose(handle), "guest-file-close");
        }
        catch (GuestAgentException e)
        {
            Warnings.Add($"The guest file handle {handle} could not be closed: {e.Message}");
        }
    }

    /// <summary>The guest's SHA-256 of a file: its sha256sum when guest-exec is allowed and works, else the file read back.</summary>
    private (string Hash, string How) GuestSha256(string guestPath, CancellationToken cancel)
    {
        if (_agent.Allows("guest-exec", "guest-exec-status"))
        {
            KvmGuestScriptResult r = _agent.Exec(GuestScript.FromCommand("sha256sum", new[] { guestPath }), TimeSpan.FromSeconds(120), "", cancel);
            string first = r.StdOut.Split(' ', 2)[0].Trim();
            if (r.ExitCode == 0 && first.Length == 64)
            {
                return (first.ToLowerInvariant(), "sha256sum in the guest");
            }
        }
        return (ReadAll(guestPath, null, null, cancel, out _), "read back");
    }

    private bool SetGuestMode(string guestPath, string mode, CancellationToken cancel)
    {
        if (!_agent.Allows("guest-exec", "guest-exec-status"))
        {
            Warnings.Add($"The mode {mode} of '{guestPath}' was not set: the guest agent does not allow guest-exec (chmod). {GuestAgentErrors.PolicyFix("guest-exec")}");
            return false;
        }
        KvmGuestScriptResult r = _agent.Exec(GuestScript.FromCommand("chmod", new[] { mode, guestPath }), TimeSpan.FromSeconds(60), "", cancel);
        if (r.ExitCode != 0)
        {
            Warnings.Add($"chmod {mode} '{guestPath}' failed in the guest: {r.StdErr.Trim()}");
            return false;
        }
        return true;
    }

    private string? GuestMode(string guestPath, CancellationToken cancel)
    {
        if (!_agent.Allows("guest-exec", "guest-exec-status"))
        {
            Warnings.Add($"The mode of '{guestPath}' could not be read: the guest agent does not allow guest-exec (stat).");
            return null;
        }
        KvmGuestScriptResult r = _agent.Exec(GuestScript.FromCommand("stat", new[] { "-c", "%a", guestPath }), TimeSpan.FromSeconds(60), "", cancel);
        string m = r.StdOut.Trim();
        return r.ExitCode == 0 && FileModeText.TryParse(m, out _) ? m : null;
    }
}
