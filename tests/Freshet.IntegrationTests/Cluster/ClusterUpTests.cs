using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Cluster;

/// <summary><c>freshet cluster up</c> run as an operator runs it: a process whose children are the nodes.</summary>
public class ClusterUpTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Three_nodes_come_up_as_one_cluster_and_stop_on_SIGTERM() => RunAsync(controllers: 0, brokers: 3);

    [Fact]
    public Task Dedicated_controllers_and_broker_only_nodes_come_up_as_one_cluster_and_stop_on_SIGTERM() => RunAsync(controllers: 3, brokers: 2);

    private static async Task RunAsync(int controllers, int brokers)
    {
        using var data = new TempDirectory();
        var total = controllers + brokers;
        var arguments = new List<string>
        {
            Path.Combine(AppContext.BaseDirectory, "freshet.dll"), "cluster", "up", "--nodes", brokers.ToString(CultureInfo.InvariantCulture),
            "--controllers", controllers.ToString(CultureInfo.InvariantCulture), "--base-port", "0", "--data-dir", data.Path,
        };
        foreach (var setting in FreshetCluster.FastFailover)
        {
            arguments.Add("--override");
            arguments.Add(setting);
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var nodePids = new List<int>();
        try
        {
            string Text(StringBuilder b) { lock (b) return b.ToString(); }
            await FreshetCluster.WaitUntilAsync(() => Text(stdout).Contains($"all {total} nodes are listening", StringComparison.Ordinal), Deadline, "cluster up reports its nodes listening:\n" + Text(stderr));

            var lines = Text(stdout).Split('\n', StringSplitOptions.TrimEntries);
            var bootstrap = Array.Find(lines, l => l.StartsWith("bootstrap.servers=", StringComparison.Ordinal))!["bootstrap.servers=".Length..].Split(',');
            Assert.Equal(brokers, bootstrap.Length);
            for (var id = 1; id <= total; id++)
            {
                var row = Array.Find(lines, l => l.StartsWith($"{id} ", StringComparison.Ordinal))!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var dedicatedController = id <= controllers;
                Assert.Equal(controllers == 0 ? "broker,controller" : dedicatedController ? "controller" : "broker", row[1]);
                if (!dedicatedController)
                    Assert.Equal(bootstrap[id - controllers - 1], row[2]);
                Assert.Equal(Path.Combine(data.Path, $"node-{id}"), row[5]);
                nodePids.Add(int.Parse(row[4], CultureInfo.InvariantCulture));
            }

            // Each broker, asked on its own, knows all the brokers once they have registered with the controller.
            foreach (var address in bootstrap)
            {
                using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = address }).Build();
                await FreshetCluster.WaitUntilAsync(
                    () =>
                    {
                        try
                        {
                            return admin.GetMetadata(TimeSpan.FromSeconds(3)).Brokers.Count == brokers;
                        }
                        catch (KafkaException)
                        {
                            return false;
                        }
                    },
                    Deadline,
                    $"{address} lists {brokers} brokers:\n{Text(stderr)}");
            }

            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                await term!.WaitForExitAsync();
            using var stop = new CancellationTokenSource(Deadline);
            await process.WaitForExitAsync(stop.Token);

            Assert.Equal(0, process.ExitCode);
            foreach (var pid in nodePids)
                Assert.False(IsRunning(pid), $"node process {pid} outlived cluster up");
            for (var id = 1; id <= total; id++)
                Assert.Contains($"node {id} stopped (exit code 0)", Text(stderr), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            foreach (var pid in nodePids)
            {
                if (IsRunning(pid))
                    Process.GetProcessById(pid).Kill();
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
