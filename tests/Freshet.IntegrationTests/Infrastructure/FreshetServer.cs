using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Freshet.Metadata.Quorum;

namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>
/// The real `freshet serve` as a child process, for tests that need what only a process gives: SIGKILL in the
/// middle of writes. Dispose stops it with SIGTERM; <see cref="KillAsync"/> ends it as a crash would.
/// </summary>
public sealed partial class FreshetServer : IAsyncDisposable
{
    private readonly StringBuilder _output;
    private readonly string[] _arguments;
    private readonly ServerLaunch _launch;
    private Process _process;

    private FreshetServer(Process process, StringBuilder output, int port, string[] arguments, ServerLaunch launch)
    {
        _process = process;
        _output = output;
        _arguments = arguments;
        _launch = launch;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The address clients reach the server at: loopback unless it was launched elsewhere.</summary>
    public string Host => _launch.Host;

    public string BootstrapServers => $"{Host}:{Port}";

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public static int FreePort() => ListenPorts.TakeFree();

    /// <param name="overrides">Broker properties passed as --override key=value.</param>
    public static Task<FreshetServer> StartAsync(string dataDirectory, int port, params string[] overrides) =>
        StartWithListenersAsync(dataDirectory, port, $"PLAINTEXT://127.0.0.1:{port}", overrides);

    /// <param name="listeners">The whole listeners value, e.g. with a CONTROLLER listener for a cluster node.</param>
    /// <param name="overrides">Broker properties passed as --override key=value.</param>
    public static Task<FreshetServer> StartWithListenersAsync(string dataDirectory, int port, string listeners, string[] overrides) =>
        StartWithListenersAsync(dataDirectory, port, listeners, overrides, ServerLaunch.Loopback);

    /// <param name="launch">Where the process runs and how it is started (e.g. in a network namespace).</param>
    public static async Task<FreshetServer> StartWithListenersAsync(string dataDirectory, int port, string listeners, string[] overrides, ServerLaunch launch)
    {
        var arguments = new List<string> { "serve", "--listeners", listeners, "--data-dir", dataDirectory };
        arguments.AddRange(launch.ServeArguments);
        foreach (var setting in overrides)
        {
            arguments.Add("--override");
            arguments.Add(setting);
        }
        var output = new StringBuilder();
        var process = await LaunchAsync([.. arguments], output, launch);
        return new FreshetServer(process, output, port, [.. arguments], launch);
    }

    private static async Task<Process> LaunchAsync(string[] arguments, StringBuilder output, ServerLaunch launch)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "freshet.dll");
        // A prefix such as `ip netns exec <ns>` replaces itself with the command (exec, no fork), so the process
        // started here is the server itself and signals reach it directly.
        var command = new List<string>(launch.CommandPrefix) { "dotnet", dll };
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        for (var i = 1; i < command.Count; i++)
        {
            info.ArgumentList.Add(command[i]);
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start freshet.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(line);
            }
            if (StartedLine().IsMatch(line))
            {
                ready.TrySetResult();
            }
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var first = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != ready.Task)
        {
            process.Kill(entireProcessTree: true);
            string text;
            lock (output)
            {
                text = output.ToString();
            }
            throw new InvalidOperationException($"freshet did not start: {text}");
        }
        return process;
    }

    /// <summary>Starts the process again after a kill or a stop, with the same arguments, port and data directory.</summary>
    public async Task RestartAsync()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException("The server is still running.");
        }
        lock (_output)
        {
            _output.AppendLine("---- restart ----");
        }
        var previous = _process;
        _process = await LaunchAsync(_arguments, _output, _launch);
        previous.Dispose();
    }

    /// <summary>SIGSTOP: the process freezes with its sockets open, as a long GC pause or a hung host would.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>SIGCONT: a paused process carries on where it stopped.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill!.WaitForExitAsync();
    }

    [GeneratedRegex("started in [0-9]+ ms")]
    private static partial Regex StartedLine();

    /// <summary>SIGKILL: no shutdown code runs, open files are dropped as they are.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        _process.Kill();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>SIGTERM and wait for the orderly stop (SIGKILL after 30 s); the server can be restarted afterwards.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        // A paused process would hold its SIGTERM until resumed.
        await ResumeAsync();
        await SignalAsync("-TERM");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
