using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Settings applied in one go: Default (virt-install's), HighPerformance (the tuning set for latency-sensitive work).</summary>
public enum KvmVMProfile { Default, HighPerformance }
