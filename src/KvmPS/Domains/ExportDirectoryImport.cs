using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Engine.Domains;

namespace KvmPS.Commands;

/// <summary>Import-KvmVM of an export directory: the engine's check, ShouldProcess, progress, and the refusals as ErrorRecords.</summary>
internal static class ExportDirectoryImport
{
    private static int s_activity = 42_000;

    /// <summary>Imports and writes the VM; a refusal is written as an error. <paramref name="name"/>: -Name, which an export directory does not take.</summary>
    public static void Run(Cmdlet cmdlet, Func<LibvirtConnection> connect, VmImportRequest request, string? name, CancellationToken cancel)
    {
        if (name is not null)
        {
            cmdlet.WriteError(ErrorHelper.InvalidArgument("-Name renames a definition file's VM; for an export directory give -NewName (and -GenerateNewId).", "NameForExportDirectory", request.Directory));
            return;
        }
        LibvirtConnection conn = connect();
        VmImportPlan plan;
        try
        {
            plan = VmImporter.Check(conn, request);
        }
        catch (VmRequestException e)
        {
            cmdlet.WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        if (!cmdlet.ShouldProcess(plan.VmName, plan.Describe()))
        {
            return;
        }
        var progress = new TransferProgress(cmdlet, Interlocked.Increment(ref s_activity), $"Importing VM '{plan.VmName}' from '{request.Directory}'");
        try
        {
            KvmVM vm = VmImporter.Run(conn, plan, progress.Report, progress.Verbose, progress.Warn, cancel);
            cmdlet.WriteVerbose($"Imported '{vm.Name}' in {progress.Elapsed.TotalSeconds:0.0} s.");
            cmdlet.WriteObject(vm);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (VmRequestException e)
        {
            cmdlet.WriteError(ErrorHelper.Refusal(e.Kind, e.Message, e.ErrorId, e.Target));
            return;
        }
        finally
        {
            progress.Complete();
        }
    }
}
