using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Image formats New-KvmVM creates.</summary>
public enum KvmDiskFormat { Qcow2, Raw }
