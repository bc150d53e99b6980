namespace KvmPS.Engine;

/// <summary>One credential libvirt asks for: its type, the prompt it shows and whether it suggested an answer.</summary>
public sealed record CredentialRequest(CredentialType Type, string? Prompt, bool HasDefault);
