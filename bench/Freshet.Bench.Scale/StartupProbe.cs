using System.Diagnostics;
using Confluent.Kafka;

namespace Freshet.Bench.Scale;

/// <summary>
/// Start-up to the first acknowledged produce: a producer is built and already trying to connect before the broker
/// process starts; the clock runs from just before the process starts to the delivery report. Two cases: a fresh data
/// directory (the first produce auto-creates the topic) and a restart over a directory that already has the topic.
/// Idle RSS is read 3 s after the first acknowledgement.
/// </summary>
internal static partial class StartupProbe
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var freshet = args.Get("freshet");
        var runs = args.GetInt("runs", 5);
        foreach (var restart in new[] { false, true })
        {
            var times = new List<double>();
            var listening = new List<double>();
            long idleRss = 0;
            for (var run = 0; run < runs; run++)
            {
                var dataDir = Directory.CreateTempSubdirectory("freshet-startup-").FullName;
                try
                {
                    if (restart)
                        await PrepareAsync(freshet, dataDir);
                    var (ms, rss, listeningMs) = await MeasureAsync(freshet, dataDir, measureRss: run == runs - 1);
                    times.Add(ms);
                    if (listeningMs is { } l)
                        listening.Add(l);
                    idleRss = Math.Max(idleRss, rss);
                }
                finally
                {
                    Directory.Delete(dataDir, recursive: true);
                }
            }

            times.Sort();
            var name = restart ? "startup_restart" : "startup_fresh";
            Console.WriteLine($"{name}_median {times[times.Count / 2]:F0} ms");
            Console.WriteLine($"{name}_runs {string.Join(',', times.Select(t => t.ToString("F0")))} ms");
            if (listening.Count > 0)
            {
                listening.Sort();
                Console.WriteLine($"{name}_listening_median {listening[listening.Count / 2]:F0} ms");
            }
            if (idleRss > 0)
                Console.WriteLine($"idle_rss_after_first_produce_{(restart ? "restart" : "fresh")} {idleRss / 1024} MB");
        }

        return 0;
    }

    private static async Task PrepareAsync(string freshet, string dataDir)
    {
        var port = FreePort.Next();
        using var broker = Start(freshet, dataDir, port, _ => { });
        using (var producer = Producer(port))
            await producer.ProduceAsync("startup", new Message<Null, byte[]> { Value = new byte[100] });
        await StopAsync(broker);
    }

    /// <returns>Time to the acknowledgement, RSS if asked for, and the broker's own "started in" time (process start to listening).</returns>
    private static async Task<(double Ms, long RssKb, double? ListeningMs)> MeasureAsync(string freshet, string dataDir, bool measureRss)
    {
        var port = FreePort.Next();
        using var producer = Producer(port);
        // Let the client get to the point of retrying its connection, so its own start is not on the clock.
        var delivery = producer.ProduceAsync("startup", new Message<Null, byte[]> { Value = new byte[100] });
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        var started = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var broker = Start(freshet, dataDir, port, line =>
        {
            var match = StartedLine().Match(line);
            if (match.Success)
                started.TrySetResult(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        });
        try
        {
            await delivery.WaitAsync(TimeSpan.FromSeconds(30));
            var ms = clock.Elapsed.TotalMilliseconds;
            long rss = 0;
            if (measureRss)
            {
                await Task.Delay(3000);
                rss = ProcessMemory.RssKb(broker.Id);
            }

            var listeningMs = await Task.WhenAny(started.Task, Task.Delay(5000)) == started.Task ? started.Task.Result : (double?)null;
            return (ms, rss, listeningMs);
        }
        finally
        {
            await StopAsync(broker);
        }
    }

    private static IProducer<Null, byte[]> Producer(int port) => new ProducerBuilder<Null, byte[]>(new ProducerConfig
    {
        BootstrapServers = $"127.0.0.1:{port}",
        Acks = Acks.Leader,
        LingerMs = 0,
        // Retry a refused connection every millisecond or so, so that the client notices the broker at once.
        ReconnectBackoffMs = 1,
        ReconnectBackoffMaxMs = 5,
        TopicMetadataRefreshFastIntervalMs = 10,
        RetryBackoffMs = 5,
        RetryBackoffMaxMs = 20,
        MessageTimeoutMs = 30_000,
        LogConnectionClose = false,
    }).SetLogHandler((_, _) => { }).Build();

    // The broker logs "Freshet started in N ms" (from process start) once it listens.
    [System.Text.RegularExpressions.GeneratedRegex(@"Freshet started in (\d+) ms")]
    private static partial System.Text.RegularExpressions.Regex StartedLine();

    private static Process Start(string freshet, string dataDir, int port, Action<string> onLine)
    {
        var info = new ProcessStartInfo(freshet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "serve", "--listeners", $"PLAINTEXT://127.0.0.1:{port}", "--data-dir", dataDir, "--log-level", "information" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("freshet did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) onLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) onLine(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
            return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}
