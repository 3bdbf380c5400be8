using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>
/// The real `freshet serve` as a child process, for tests that need what only a process gives: SIGKILL in the
/// middle of writes. Dispose stops it with SIGTERM; <see cref="KillAsync"/> ends it as a crash would.
/// </summary>
public sealed partial class FreshetServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private FreshetServer(Process process, StringBuilder output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
    }

    public int Port { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

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

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <param name="overrides">Broker properties passed as --override key=value.</param>
    public static async Task<FreshetServer> StartAsync(string dataDirectory, int port, params string[] overrides)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "freshet.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "serve", "--listeners", $"PLAINTEXT://127.0.0.1:{port}", "--data-dir", dataDirectory })
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var setting in overrides)
        {
            info.ArgumentList.Add("--override");
            info.ArgumentList.Add(setting);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start freshet.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
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
            throw new InvalidOperationException($"freshet did not start: {output}");
        }
        return new FreshetServer(process, output, port);
    }

    [GeneratedRegex("started in [0-9]+ ms")]
    private static partial Regex StartedLine();

    /// <summary>SIGKILL: no shutdown code runs, open files are dropped as they are.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term!.WaitForExitAsync();
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
        _process.Dispose();
    }
}
