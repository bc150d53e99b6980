using System.Management.Automation;
using KvmPS.Engine;

namespace KvmPS.Commands;

/// <summary>
/// Refuses a size in bytes that no one means for a VM's memory or a disk (2048 bytes of memory, a
/// 20-byte disk) with the engine's message, which says what was probably meant ("did you mean 2048MB?").
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateSizeAttribute : ValidateArgumentsAttribute
{
    /// <summary>Memory sizes when true, disk and volume sizes when false.</summary>
    public bool Memory { get; init; }

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        object? o = arguments is PSObject p ? p.BaseObject : arguments;
        if (o is ulong bytes && (Memory ? SizeText.CheckMemory(bytes) : SizeText.CheckDisk(bytes)) is string problem)
        {
            throw new ValidationMetadataException(problem);
        }
    }
}
