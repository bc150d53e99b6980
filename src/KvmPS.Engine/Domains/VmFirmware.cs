namespace KvmPS.Engine.Domains;

/// <summary>Firmware of a new VM.</summary>
public enum VmFirmware { Bios, Uefi }
