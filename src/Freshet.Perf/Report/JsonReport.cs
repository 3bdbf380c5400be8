using System.Text.Json;
using Freshet.Perf.Measure;

namespace Freshet.Perf.Report;

/// <summary>
/// The report for scripts (<c>--json</c>): one object with the counts, rates and latencies in milliseconds.
/// <code>
/// {"kind":"produce","topic":"t","records":1000,"bytes":100000,"seconds":0.5,"errors":0,
///  "records_per_sec":2000,"mb_per_sec":0.19,
///  "latency_ms":{"avg":1.2,"p50":1.1,"p95":2.0,"p99":3.1,"p99_9":4.0,"max":5.2},
///  "setup":{"partitions":"1", ...}}
/// </code>
/// </summary>
public static class JsonReport
{
    public static void Write(LoadResult result, Stream output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("kind", result.Kind);
        json.WriteString("topic", result.Topic);
        json.WriteNumber("records", result.Records);
        json.WriteNumber("bytes", result.Bytes);
        json.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 4));
        json.WriteNumber("errors", result.Errors);
        json.WriteNumber("records_per_sec", Math.Round(result.RecordsPerSecond, 1));
        json.WriteNumber("mb_per_sec", Math.Round(result.MegabytesPerSecond, 3));
        if (result.Latency is { } latency)
        {
            json.WriteStartObject("latency_ms");
            json.WriteNumber("avg", Ms(latency.Mean));
            json.WriteNumber("p50", Ms(latency.Percentile(50)));
            json.WriteNumber("p95", Ms(latency.Percentile(95)));
            json.WriteNumber("p99", Ms(latency.Percentile(99)));
            json.WriteNumber("p99_9", Ms(latency.Percentile(99.9)));
            json.WriteNumber("max", Ms(latency.Max));
            json.WriteEndObject();
        }

        json.WriteStartObject("setup");
        foreach (var (key, value) in result.Setup)
            json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static double Ms(double micros) => Math.Round(micros / 1000.0, 3);
}
