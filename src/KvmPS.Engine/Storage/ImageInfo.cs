using System.Buffers.Binary;
using System.ComponentModel;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;

namespace KvmPS.Engine.Storage;

/// <summary>What a disk image file is: its format, the size a guest sees, and the image it is an overlay on.</summary>
public sealed record ImageInfo(string Format, ulong VirtualSizeBytes, string? BackingFile, string? BackingFormat = null);
