using System.Management.Automation;
using ZipFit.Internal;

namespace ZipFit;

/// <summary>
/// Module lifecycle: on import, ZipFit.Core (and through it every dependency of the engine) is
/// served from ZipFit's private load context; on Remove-Module the resolver is taken away again.
/// Loaded assemblies stay loaded (.NET cannot unload them from a non-collectible context), so a
/// later import in the same session reuses them.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => CoreLoader.Install();

    public void OnRemove(PSModuleInfo psModuleInfo) => CoreLoader.Uninstall();
}
