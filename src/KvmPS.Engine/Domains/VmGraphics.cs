namespace KvmPS.Engine.Domains;

/// <summary>Graphics console of a new VM.</summary>
public enum VmGraphics { None, Vnc, Spice }
