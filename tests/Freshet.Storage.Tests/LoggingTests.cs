using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging;

namespace Freshet.Storage.Tests;

public sealed class LoggingTests
{
    [Fact]
    public void Lifecycle_is_information_and_recovered_faults_are_warnings()
    {
        using var dir = new TempDir();
        var options = new LogManagerOptions { LogDirs = [dir.Path] };
        var tp = new TopicPartition("t", 0);
        using (var manager = new LogManager(options, new CapturingLoggerFactory()))
        {
            manager.LoadLogs(_ => new LogConfig());
            manager.CreateLog(tp, KafkaUuid.NewRandom(), new LogConfig()).Append(TestBatches.Build(3, 1), 0);
        }
        File.AppendAllText(Path.Combine(dir.Path, tp.DirectoryName, "00000000000000000000.log"), "torn");
        File.Delete(Path.Combine(dir.Path, LogFileNames.CleanShutdownMarker));

        var logs = new CapturingLoggerFactory();
        using (var manager = new LogManager(options, logs))
        {
            manager.LoadLogs(_ => new LogConfig());
        }

        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Information && l.Message.StartsWith("Loaded 1 logs in ", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Information && l.Message.Contains("not shut down cleanly", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("by 4 bytes", StringComparison.Ordinal));
    }
}
