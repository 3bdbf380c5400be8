namespace Freshet.Bench.Scale;

/// <summary>Resident set size of another process, from /proc (Linux).</summary>
internal static class ProcessMemory
{
    public static long RssKb(int pid) => Read(pid, "VmRSS:");

    public static long PeakRssKb(int pid) => Read(pid, "VmHWM:");

    private static long Read(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"no {field} for process {pid}");
    }
}
