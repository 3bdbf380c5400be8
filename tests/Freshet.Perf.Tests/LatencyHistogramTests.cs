using Freshet.Perf.Measure;

namespace Freshet.Perf.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void Small_values_are_exact()
    {
        var histogram = new LatencyHistogram();
        for (var v = 1; v <= 100; v++)
            histogram.Record(v);

        Assert.Equal(50, histogram.Percentile(50));
        Assert.Equal(99, histogram.Percentile(99));
        Assert.Equal(100, histogram.Percentile(100));
        Assert.Equal(50.5, histogram.Mean);
        Assert.Equal(1, histogram.Min);
    }

    [Fact]
    public void Large_values_are_within_one_percent()
    {
        var histogram = new LatencyHistogram();
        for (long v = 1; v <= 1_000_000; v++)
            histogram.Record(v * 37);

        foreach (var p in new[] { 50.0, 95, 99, 99.9 })
        {
            var exact = (long)Math.Ceiling(p / 100 * 1_000_000) * 37;
            var reported = histogram.Percentile(p);
            Assert.InRange(reported, exact, exact * 1.01);
        }

        Assert.Equal(37_000_000, histogram.Max);
    }

    [Fact]
    public void Every_value_falls_in_a_bucket_whose_top_is_not_below_it()
    {
        foreach (var v in new long[] { 0, 255, 256, 257, 511, 512, 1_000_003, 1L << 45 })
        {
            var index = LatencyHistogram.IndexOf(v);
            Assert.True(LatencyHistogram.HighestValueIn(index) >= v);
            Assert.True(index == 0 || LatencyHistogram.HighestValueIn(index - 1) < v);
        }
    }

    [Fact]
    public void Merged_histograms_count_both()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(10);
        b.Record(1000);
        b.Record(3000);

        a.Add(b);

        Assert.Equal(3, a.Count);
        Assert.Equal(10, a.Min);
        Assert.Equal(3000, a.Max);
        Assert.InRange(a.Percentile(50), 1000, 1010);
    }
}
