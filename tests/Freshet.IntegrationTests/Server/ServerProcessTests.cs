using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Server;

/// <summary>The real `freshet` executable, as an operator starts it: it serves kcat and keeps data across restarts.</summary>
public sealed partial class ServerProcessTests
{
    [Fact]
    public async Task Freshet_serve_starts_quickly_and_kcat_lists_it()
    {
        using var data = new TempDirectory();
        var port = FreePort();
        await using (var server = await FreshetProcess.StartAsync(data.Path, port))
        {
            var listing = await Kcat.RunAsync("-b", $"127.0.0.1:{port}", "-L");
            Assert.Equal(0, listing.ExitCode);
            Assert.Contains($"broker 1 at 127.0.0.1:{port}", listing.StandardOutput);

            var produce = await Kcat.RunWithInputAsync("a\nb\nc\n", "-b", $"127.0.0.1:{port}", "-P", "-t", "process-topic");
            Assert.Equal(0, produce.ExitCode);
        }
        Assert.True(File.Exists(Path.Combine(data.Path, "meta.properties")));
        Assert.True(Directory.Exists(Path.Combine(data.Path, "process-topic-0")));

        await using (await FreshetProcess.StartAsync(data.Path, port))
        {
            var consume = await Kcat.RunAsync("-b", $"127.0.0.1:{port}", "-C", "-t", "process-topic", "-o", "beginning", "-e", "-q");
            Assert.Equal(["a", "b", "c"], consume.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A running `freshet serve` child process, stopped with SIGTERM (Ctrl+C) on dispose.</summary>
    private sealed partial class FreshetProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private FreshetProcess(Process process) => _process = process;

        public static async Task<FreshetProcess> StartAsync(string dataDirectory, int port)
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
            var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start freshet.");
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
                if (StartedLine().IsMatch(e.Data))
                {
                    ready.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (output)
                    {
                        output.AppendLine(e.Data);
                    }
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
            if (first != ready.Task)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"freshet did not start: {output}");
            }
            return new FreshetProcess(process);
        }

        [GeneratedRegex("started in [0-9]+ ms")]
        private static partial Regex StartedLine();

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                // SIGTERM: the graceful shutdown path an operator's Ctrl+C or systemd stop takes.
                using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
                await kill!.WaitForExitAsync();
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
}
