namespace KvmPS.Engine.Domains;

/// <summary>Accelerator asked for (virt-install's --virt-type): Auto picks KVM where it is usable.</summary>
public enum VmVirtType { Auto, Kvm, Qemu }
