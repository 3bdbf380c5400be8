using System.Diagnostics;
using System.Text;

namespace Freshet.IntegrationTests.Transactions;

/// <summary>
/// The consume-transform-produce processor (tests/Freshet.TransactionalProcessor) as a child process, so a test can
/// SIGKILL it in the middle of a transaction. Counts its progress lines as they arrive.
/// </summary>
internal sealed class ProcessorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _committed;
    private int _aborted;
    private int _abortedRecords;

    private ProcessorProcess(Process process) => _process = process;

    public int Committed => Volatile.Read(ref _committed);

    public int Aborted => Volatile.Read(ref _aborted);

    public int AbortedRecords => Volatile.Read(ref _abortedRecords);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ProcessorProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Freshet.TransactionalProcessor.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var runner = new ProcessorProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start the processor."));
        runner._process.OutputDataReceived += (_, e) => runner.Collect(e.Data);
        runner._process.ErrorDataReceived += (_, e) => runner.Collect(e.Data);
        runner._process.BeginOutputReadLine();
        runner._process.BeginErrorReadLine();
        return runner;
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (line.StartsWith("committed ", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _committed);
        }
        else if (line.StartsWith("aborted ", StringComparison.Ordinal))
        {
            Interlocked.Add(ref _abortedRecords, int.Parse(line["aborted ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            Interlocked.Increment(ref _aborted);
        }
    }

    /// <summary>Waits until the condition holds or the process exits; false at the deadline.</summary>
    public async Task<bool> WaitUntilAsync(Func<ProcessorProcess, bool> condition, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (condition(this) || _process.HasExited)
            {
                return condition(this);
            }
            await Task.Delay(20);
        }
        return false;
    }

    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the producer's open transaction is left as it is, with no abort and no close.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
