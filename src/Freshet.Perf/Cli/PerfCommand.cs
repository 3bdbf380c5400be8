using System.CommandLine;
using Freshet.Perf.Load;
using Freshet.Perf.Measure;
using Freshet.Perf.Report;

namespace Freshet.Perf.Cli;

/// <summary><c>freshet perf produce|consume|e2e</c>: load tools modelled on Kafka's perf-test tools.</summary>
public static class PerfCommand
{
    /// <summary>Exit codes: 0 done, 1 the run failed or delivered errors, 2 bad arguments.</summary>
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    public static Command Create()
    {
        var perf = new Command("perf", "Load a Kafka-compatible broker and report records/s, MB/s and latency percentiles.");
        perf.Subcommands.Add(Subcommand("produce", "Produce records as fast as possible or at --throughput; latency is send to acknowledgement (kafka-producer-perf-test).", ProduceLoad.RunAsync));
        perf.Subcommands.Add(Subcommand("consume", "Consume a topic from the beginning; rate from the first record to the last (kafka-consumer-perf-test).", ConsumeLoad.RunAsync));
        perf.Subcommands.Add(Subcommand("e2e", "Produce at --throughput and time each record from send to receipt by a consumer (EndToEndLatency).", EndToEndLoad.RunAsync));
        return perf;
    }

    /// <summary>Parses a subcommand's arguments (without "perf" and the subcommand's name) into settings; for tests.</summary>
    public static LoadSettings Parse(string kind, params string[] args)
    {
        var options = new PerfOptions();
        var command = new Command(kind);
        AddOptions(command, options, kind);
        var parse = command.Parse(args);
        if (parse.Errors.Count > 0)
            throw new ArgumentException(parse.Errors[0].Message, nameof(args));
        return options.Bind(parse, kind);
    }

    public static async Task<int> RunAsync(
        LoadSettings settings, Func<LoadSettings, TextWriter, CancellationToken, Task<LoadResult>> load, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        LoadResult result;
        try
        {
            result = await load(settings, stderr, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stderr.WriteLineAsync($"freshet perf: {e.Message}");
            return Failure;
        }

        if (settings.Json)
        {
            await stdout.FlushAsync(ct);
            using var stream = Console.OpenStandardOutput();
            JsonReport.Write(result, stream);
        }
        else
        {
            ResultTable.Write(result, stdout);
        }

        return result.Errors > 0 || result.Records == 0 ? Failure : Ok;
    }

    private static Command Subcommand(string kind, string description, Func<LoadSettings, TextWriter, CancellationToken, Task<LoadResult>> load)
    {
        var options = new PerfOptions();
        var command = new Command(kind, description);
        AddOptions(command, options, kind);
        command.SetAction(async (parse, ct) =>
        {
            LoadSettings settings;
            try
            {
                settings = options.Bind(parse, kind);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"freshet perf {kind}: {e.Message}");
                return Usage;
            }

            return await RunAsync(settings, load, Console.Out, Console.Error, ct);
        });
        return command;
    }

    private static void AddOptions(Command command, PerfOptions o, string kind)
    {
        command.Options.Add(o.BootstrapServer);
        command.Options.Add(o.Topic);
        command.Options.Add(o.NumRecords);
        command.Options.Add(o.Duration);
        command.Options.Add(o.Json);
        command.Options.Add(o.Property);
        if (kind == "consume")
        {
            command.Options.Add(o.Consumers);
            command.Options.Add(o.Timeout);
            return;
        }

        command.Options.Add(o.RecordSize);
        command.Options.Add(o.PayloadFile);
        command.Options.Add(o.Partitions);
        command.Options.Add(o.ReplicationFactor);
        command.Options.Add(o.Acks);
        command.Options.Add(o.Compression);
        command.Options.Add(o.LingerMs);
        command.Options.Add(o.BatchSize);
        command.Options.Add(o.Throughput);
        if (kind == "produce")
        {
            command.Options.Add(o.Producers);
            return;
        }

        command.Options.Add(o.Consumers);
        command.Options.Add(o.Timeout);
        command.Options.Add(o.Warmup);
    }
}
