using System.Text;

namespace KvmPS.Engine.Iso;

/// <summary>
/// Reads files out of an ISO 9660 image (read-only): the primary volume descriptor's directory
/// tree with Rock Ridge names (NM entries, continuation areas followed) where the image has them,
/// else the Joliet tree of a supplementary descriptor, else the plain ISO 9660 names, matched
/// without their ";1" version and case-insensitively (level 1 images keep upper-case 8.3 names).
/// Enough for an installer's kernel and initrd and small text files such as .treeinfo; files in
/// several extents (over 4 GiB) are refused.
/// </summary>
public sealed class IsoImage : IDisposable
{
    private const int SectorSize = 2048;
    private readonly FileStream _file;
    private readonly IsoEntry _root;
    private readonly IsoEntry? _jolietRoot;
    private readonly int _blockSize;
    private readonly Dictionary<long, List<IsoEntry>> _dirs = new();
    private bool? _rockRidge;

    private IsoImage(FileStream file)
    {
        _file = file;
        IsoEntry? primary = null;
        int blockSize = SectorSize;
        for (long sector = 16; ; sector++)
        {
            byte[] d = ReadAt(sector * SectorSize, SectorSize);
            if (Encoding.ASCII.GetString(d, 1, 5) != "CD001")
            {
                throw new IsoFormatException($"'{file.Name}' is no ISO 9660 image (no volume descriptor at sector {sector}).");
            }
            byte type = d[0];
            if (type == 255)
            {
                break;
            }
            if (type == 1 && primary is null)
            {
                blockSize = BitConverter.ToUInt16(d, 128);
                primary = Record(d, 156, joliet: false, susp: false, root: true).Entry;
            }
            else if (type == 2 && d[88] == 0x25 && d[89] == 0x2F && d[90] is 0x40 or 0x43 or 0x45)
            {
                _jolietRoot ??= Record(d, 156, joliet: true, susp: false, root: true).Entry;
            }
            if (sector > 64)
            {
                throw new IsoFormatException($"'{file.Name}': no volume descriptor set terminator in the first 64 sectors.");
            }
        }
        _root = primary ?? throw new IsoFormatException($"'{file.Name}' has no primary volume descriptor.");
        _blockSize = blockSize is 512 or 1024 or 2048 ? blockSize : throw new IsoFormatException($"'{file.Name}': unsupported logical block size {blockSize}.");
    }

    /// <summary>Opens an image for reading. Throws <see cref="IsoFormatException"/> when it is none.</summary>
    public static IsoImage Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        try
        {
            return new IsoImage(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>True when the image holds a path (a file or a directory) in the tree it reads.</summary>
    public bool Exists(string path) => Find(path) is not null;

    /// <summary>The entry at a path ('/'-separated, from the root), or null when the image has none.</summary>
    public IsoEntry? Find(string path) => Locate(path).Entry;

    /// <summary>The names in a directory of the image (an empty list for a path it lacks).</summary>
    public IReadOnlyList<string> List(string directory)
    {
        var (dir, joliet) = Locate(directory);
        return dir is { IsDirectory: true } ? Entries(dir, joliet).Select(e => e.Name).ToList() : Array.Empty<string>();
    }

    // Rock Ridge names first where the image has them, else Joliet's, else the plain tree.
    private (IsoEntry? Entry, bool Joliet) Locate(string path)
    {
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        bool jolietFirst = _jolietRoot is not null && !HasRockRidge();
        foreach (bool joliet in jolietFirst ? new[] { true, false } : new[] { false, true })
        {
            IsoEntry? root = joliet ? _jolietRoot : _root;
            if (root is not null && Find(root, parts, joliet) is IsoEntry e)
            {
                return (e, joliet);
            }
        }
        return (null, false);
    }

    // SUSP puts an "SP" entry in the system use area of the root directory's "." record.
    private bool HasRockRidge()
    {
        _rockRidge ??= ReadRockRidgeMark();
        return _rockRidge.Value;
    }

    private bool ReadRockRidgeMark()
    {
        byte[] d = ReadAt(_root.Extent * _blockSize, Math.Min(SectorSize, (int)Math.Max(_root.Size, 34)));
        int len = d[0], nameLen = d[32];
        int su = 33 + nameLen + ((nameLen & 1) == 0 ? 1 : 0);
        return len >= su + 7 && d[su] == (byte)'S' && d[su + 1] == (byte)'P' && d[su + 4] == 0xBE && d[su + 5] == 0xEF;
    }

    /// <summary>Copies a file of the image into a stream. Throws FileNotFoundException when there is none.</summary>
    public void CopyTo(string path, Stream destination, CancellationToken cancel = default)
    {
        IsoEntry e = Find(path) is { IsDirectory: false } f ? f : throw new FileNotFoundException($"'{path}' is no file of the image '{_file.Name}'.", path);
        long offset = e.Extent * _blockSize, left = e.Size;
        byte[] buffer = new byte[1 << 20];
        while (left > 0)
        {
            cancel.ThrowIfCancellationRequested();
            int n = (int)Math.Min(buffer.Length, left);
            _file.Position = offset;
            _file.ReadExactly(buffer, 0, n);
            destination.Write(buffer, 0, n);
            offset += n;
            left -= n;
        }
    }

    /// <summary>A small text file of the image (UTF-8), or null when there is none or it is over a MiB.</summary>
    public string? ReadText(string path)
    {
        if (Find(path) is not { IsDirectory: false } e || e.Size > 1 << 20)
        {
            return null;
        }
        return Encoding.UTF8.GetString(ReadAt(e.Extent * _blockSize, (int)e.Size));
    }

    public void Dispose() => _file.Dispose();

    private IsoEntry? Find(IsoEntry root, string[] parts, bool joliet)
    {
        IsoEntry current = root;
        foreach (string part in parts)
        {
            if (!current.IsDirectory)
            {
                return null;
            }
            List<IsoEntry> entries = Entries(current, joliet);
            IsoEntry? next = entries.FirstOrDefault(x => x.Name == part)
                ?? entries.FirstOrDefault(x => string.Equals(x.Name, part, StringComparison.OrdinalIgnoreCase));
            if (next is null)
            {
                return null;
            }
            current = next;
        }
        return current;
    }

    // The records of one directory, read once (the Joliet tree is keyed apart: its extents are
    // other blocks, but a negative key keeps the two trees from ever sharing a cache entry).
    private List<IsoEntry> Entries(IsoEntry dir, bool joliet)
    {
        long key = joliet ? -dir.Extent - 1 : dir.Extent;
        if (_dirs.TryGetValue(key, out List<IsoEntry>? cached))
        {
            return cached;
        }
        if (dir.Size > 64L << 20)
        {
            throw new IsoFormatException($"'{_file.Name}': a directory of {dir.Size} bytes is more than this reader takes.");
        }
        byte[] data = ReadAt(dir.Extent * _blockSize, (int)dir.Size);
        var list = new List<IsoEntry>();
        int pos = 0;
        while (pos < data.Length)
        {
            int len = data[pos];
            if (len == 0)
            {
                // Records never cross a sector: the rest of this one is padding.
                pos = (pos / SectorSize + 1) * SectorSize;
                continue;
            }
            if (pos + len > data.Length || len < 34)
            {
                break;
            }
            var (entry, multiExtent) = Record(data, pos, joliet, susp: !joliet);
            if (entry is not null)
            {
                if (multiExtent)
                {
                    throw new IsoFormatException($"'{_file.Name}': '{entry.Name}' is stored in several extents (a file over 4 GiB), which this reader does not read.");
                }
                list.Add(entry);
            }
            pos += len;
        }
        _dirs[key] = list;
        return list;
    }

    // One directory record: null for "." and "..".
    private (IsoEntry? Entry, bool MultiExtent) Record(byte[] d, int pos, bool joliet, bool susp, bool root = false)
    {
        int len = d[pos];
        long extent = BitConverter.ToUInt32(d, pos + 2);
        long size = BitConverter.ToUInt32(d, pos + 10);
        byte flags = d[pos + 25];
        int nameLen = d[pos + 32];
        if (nameLen == 1 && d[pos + 33] is 0 or 1)
        {
            // "." and ".." of a directory; the root's own record when read from a descriptor.
            return (root ? new IsoEntry("", extent, size, true) : null, false);
        }
        string name = joliet
            ? Encoding.BigEndianUnicode.GetString(d, pos + 33, nameLen & ~1)
            : Encoding.ASCII.GetString(d, pos + 33, nameLen);
        int semicolon = name.IndexOf(';');
        if (semicolon >= 0)
        {
            name = name[..semicolon];
        }
        if (!joliet && (flags & 2) == 0 && name.EndsWith('.'))
        {
            name = name[..^1];
        }
        if (susp)
        {
            int suStart = pos + 33 + nameLen + ((nameLen & 1) == 0 ? 1 : 0);
            if (RockRidgeName(d, suStart, pos + len) is string rr)
            {
                name = rr;
            }
        }
        return (new IsoEntry(name, extent, size, (flags & 2) != 0), (flags & 0x80) != 0);
    }

    // The Rock Ridge name of a record's system use area (NM entries, continued through CE areas).
    private string? RockRidgeName(byte[] d, int start, int end)
    {
        var name = new StringBuilder();
        bool found = false;
        for (int hops = 0; hops < 8; hops++)
        {
            (long Block, long Offset, long Length)? next = null;
            int pos = start;
            while (pos + 4 <= end)
            {
                string sig = Encoding.ASCII.GetString(d, pos, 2);
                int len = d[pos + 2];
                if (len < 4 || pos + len > end)
                {
                    break;
                }
                if (sig == "NM" && len >= 5 && (d[pos + 4] & 0x6) == 0)
                {
                    name.Append(Encoding.UTF8.GetString(d, pos + 5, len - 5));
                    found = true;
                }
                else if (sig == "CE" && len >= 28)
                {
                    next = (BitConverter.ToUInt32(d, pos + 4), BitConverter.ToUInt32(d, pos + 12), BitConverter.ToUInt32(d, pos + 20));
                }
                else if (sig == "ST")
                {
                    break;
                }
                pos += len;
            }
            if (next is not { } ce || ce.Length is 0 or > SectorSize)
            {
                break;
            }
            d = ReadAt(ce.Block * _blockSize + ce.Offset, (int)ce.Length);
            start = 0;
            end = d.Length;
        }
        return found ? name.ToString() : null;
    }

    private byte[] ReadAt(long offset, int count)
    {
        byte[] buffer = new byte[count];
        _file.Position = offset;
        int read = _file.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        if (read < count)
        {
            throw new IsoFormatException($"'{_file.Name}' ends at byte {offset + read}, inside the image's structures (a truncated image?).");
        }
        return buffer;
    }
}
