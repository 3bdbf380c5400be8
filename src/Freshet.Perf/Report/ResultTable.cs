using System.Globalization;
using Freshet.Perf.Measure;

namespace Freshet.Perf.Report;

/// <summary>The human-readable report: the setup on one line, then one table row of rates and latencies in ms.</summary>
public static class ResultTable
{
    public static void Write(LoadResult result, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"freshet perf {result.Kind}: topic {result.Topic}, " + string.Join(", ", result.Setup.Select(s => $"{s.Key} {s.Value}")));
        var headers = new List<string> { "records", "seconds", "records/s", "MB/s" };
        var cells = new List<string>
        {
            result.Records.ToString("N0", c),
            result.Elapsed.TotalSeconds.ToString("F2", c),
            result.RecordsPerSecond.ToString("N0", c),
            result.MegabytesPerSecond.ToString("F2", c),
        };
        if (result.Latency is { } latency)
        {
            headers.AddRange(["avg ms", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms"]);
            cells.Add(Ms(latency.Mean));
            foreach (var p in Percentiles)
                cells.Add(Ms(latency.Percentile(p)));
            cells.Add(Ms(latency.Max));
        }

        if (result.Errors > 0)
        {
            headers.Add("errors");
            cells.Add(result.Errors.ToString("N0", c));
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, cells[i].Length)).ToArray();
        output.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadLeft(widths[i]))));
        output.WriteLine(string.Join("  ", cells.Select((v, i) => v.PadLeft(widths[i]))));
    }

    /// <summary>The percentiles every report shows besides the average and the maximum.</summary>
    public static readonly double[] Percentiles = [50, 95, 99, 99.9];

    private static string Ms(double micros) => (micros / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
}
