using KvmPS.Engine.Native;

namespace KvmPS.Engine.Tuning;

/// <summary>
/// The live pin calls the pin applier makes, one per thread. The applier uses libvirt's
/// (<see cref="TuningService"/>); tests substitute calls that fail on cue to exercise the undo.
/// </summary>
internal interface ILivePins
{
    void PinVCpu(DomainHandle h, int vcpu, int[] cpus, int mapLength);

    void PinEmulator(DomainHandle h, int[] cpus, int mapLength);

    void PinIOThread(DomainHandle h, int iothread, int[] cpus, int mapLength);
}
