using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace ZipFit.Host;

/// <summary>A minimal non-interactive host: takes 'exit N', writes host output and progress.</summary>
internal sealed class ConsoleHost(TextWriter stdout, TextWriter stderr) : PSHost
{
    private readonly HostUI _ui = new(stdout, stderr);

    public int? ExitCode { get; private set; }
    public override string Name => "ZipFitHost";
    public override Version Version => new(0, 1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
    public override PSHostUserInterface UI => _ui;
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    public void ShowProgress(ProgressRecord record) => _ui.ShowProgress(record);

    public void ClearProgress() => _ui.ClearProgress();

    private sealed class HostUI(TextWriter stdout, TextWriter stderr) : PSHostUserInterface
    {
        private bool _progressShown;

        public override PSHostRawUserInterface? RawUI => null;
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("zipfit-host is not interactive.");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("zipfit-host is not interactive.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("zipfit-host is not interactive.");
        public override string ReadLine() => Console.ReadLine() ?? "";
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
        public override void Write(string value) => stdout.Write(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => stdout.Write(value);
        public override void WriteLine(string value) => stdout.WriteLine(value);
        public override void WriteErrorLine(string value) => stderr.WriteLine(value);
        public override void WriteDebugLine(string message) => stderr.WriteLine("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => stderr.WriteLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => stderr.WriteLine("WARNING: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) => ShowProgress(record);

        public void ShowProgress(ProgressRecord record)
        {
            if (Console.IsErrorRedirected)
            {
                return;
            }
            if (record.RecordType == ProgressRecordType.Completed)
            {
                ClearProgress();
                return;
            }
            string line = $"{record.Activity}: {record.StatusDescription}";
            if (record.PercentComplete >= 0)
            {
                line += $" ({record.PercentComplete}%)";
            }
            if (record.SecondsRemaining > 0)
            {
                line += $", {TimeSpan.FromSeconds(record.SecondsRemaining):hh\\:mm\\:ss} left";
            }
            int width = Math.Max(20, SafeWidth() - 1);
            stderr.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
            _progressShown = true;
        }

        public void ClearProgress()
        {
            if (_progressShown)
            {
                stderr.Write("\r" + new string(' ', Math.Max(20, SafeWidth() - 1)) + "\r");
                _progressShown = false;
            }
        }

        private static int SafeWidth()
        {
            try { return Console.WindowWidth; } catch (IOException) { return 80; }
        }
    }
}
