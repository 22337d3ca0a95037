using System.Management.Automation;

namespace ZipFit.Commands;

/// <summary>
/// Base of the Export- cmdlets: -Path, pipeline -InputObject, -Force and -PassThru; refuses to overwrite without
/// -Force, and turns an I/O failure while writing into a terminating ZipFit.WriteFailed error naming the file.
/// </summary>
public abstract class FileWriterCmdlet : ZipFitCmdlet
{
    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Overwrites an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Outputs the written file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The output file, resolved by <see cref="StartOutput"/>.</summary>
    private protected string FullPath { get; private set; } = "";

    /// <summary>Resolves -Path; stops with ZipFit.OutputExists if the file exists without -Force; false when -WhatIf or the user declines.</summary>
    private protected bool StartOutput(string action)
    {
        FullPath = GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(FullPath) && !Force)
        {
            ThrowTerminating(ErrorIds.OutputExists, ErrorCategory.ResourceExists, Format(Strings.OutputExists, FullPath), FullPath);
        }
        return ShouldProcess(FullPath, action);
    }

    /// <summary>Runs <paramref name="write"/>; an I/O or access failure stops the command with ZipFit.WriteFailed.</summary>
    private protected void Writing(Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.WriteFailed, ErrorCategory.WriteError, ex.Message, FullPath, ex);
        }
    }

    /// <summary>Says what was written and, with -PassThru, outputs the file.</summary>
    private protected void Finish(string written)
    {
        WriteVerbose($"Wrote {written} to {FullPath}");
        if (PassThru)
        {
            WriteObject(new FileInfo(FullPath));
        }
    }
}
