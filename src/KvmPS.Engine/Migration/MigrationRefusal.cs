namespace KvmPS.Engine.Migration;

/// <summary>A reason not to start a migration, found before anything moved.</summary>
public sealed record MigrationRefusal(string ErrorId, KvmErrorKind Kind, string Message);
