using System.Diagnostics;
using Confluent.Kafka;

namespace Freshet.Bench.Scale;

/// <summary>
/// Start-up to the first acknowledged produce: a producer is built and already trying to connect before the broker
/// process starts; the clock runs from just before the process starts to the delivery report. Two cases: a fresh data
/// directory (the first produce auto-creates the topic) and a restart over a directory that already has the topic.
/// Idle RSS is read 3 s after the first acknowledgement.
/// </summary>
internal static class StartupProbe
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var freshet = args.Get("freshet");
        var runs = args.GetInt("runs", 5);
        foreach (var restart in new[] { false, true })
        {
            var times = new List<double>();
            long idleRss = 0;
            for (var run = 0; run < runs; run++)
            {
                var dataDir = Directory.CreateTempSubdirectory("freshet-startup-").FullName;
                try
                {
                    if (restart)
                        await PrepareAsync(freshet, dataDir);
                    var (ms, rss) = await MeasureAsync(freshet, dataDir, measureRss: run == runs - 1);
                    times.Add(ms);
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
            if (idleRss > 0)
                Console.WriteLine($"idle_rss_after_first_produce_{(restart ? "restart" : "fresh")} {idleRss / 1024} MB");
        }

        return 0;
    }

    private static async Task PrepareAsync(string freshet, string dataDir)
    {
        var port = FreePort.Next();
        using var broker = Start(freshet, dataDir, port);
        using (var producer = Producer(port))
            await producer.ProduceAsync("startup", new Message<Null, byte[]> { Value = new byte[100] });
        await StopAsync(broker);
    }

    private static async Task<(double Ms, long RssKb)> MeasureAsync(string freshet, string dataDir, bool measureRss)
    {
        var port = FreePort.Next();
        using var producer = Producer(port);
        // Let the client get to the point of retrying its connection, so its own start is not on the clock.
        var delivery = producer.ProduceAsync("startup", new Message<Null, byte[]> { Value = new byte[100] });
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        using var broker = Start(freshet, dataDir, port);
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

            return (ms, rss);
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

    private static Process Start(string freshet, string dataDir, int port)
    {
        var info = new ProcessStartInfo(freshet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "serve", "--listeners", $"PLAINTEXT://127.0.0.1:{port}", "--data-dir", dataDir, "--log-level", "warning" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("freshet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
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
