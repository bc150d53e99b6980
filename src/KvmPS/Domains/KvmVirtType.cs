using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmPS.Engine;
using KvmPS.Engine.Domains;
using KvmPS.Engine.Native;

namespace KvmPS.Commands;

/// <summary>Accelerator of a new VM (virt-install's --virt-type): Auto picks KVM where it is usable.</summary>
public enum KvmVirtType { Auto, Kvm, Qemu }
