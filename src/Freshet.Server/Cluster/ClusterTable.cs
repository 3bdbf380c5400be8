using System.Globalization;

namespace Freshet.Server.Cluster;

/// <summary>The table <c>cluster up</c> prints once its nodes are launched.</summary>
internal static class ClusterTable
{
    private static readonly string[] Header = ["node", "roles", "kafka", "controller", "pid", "data dir"];

    public static void Write(ClusterPlan plan, IReadOnlyList<int> processIds, TextWriter output)
    {
        var rows = new List<string[]> { Header };
        for (var i = 0; i < plan.Nodes.Count; i++)
        {
            var node = plan.Nodes[i];
            rows.Add(
            [
                node.NodeId.ToString(CultureInfo.InvariantCulture),
                node.Roles,
                node.KafkaAddress,
                node.ControllerAddress,
                processIds[i].ToString(CultureInfo.InvariantCulture),
                node.DataDir,
            ]);
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        }

        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                // The last column is left unpadded so lines carry no trailing blanks.
                output.Write(c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            }

            output.WriteLine();
        }

        output.WriteLine();
        output.WriteLine($"bootstrap.servers={plan.BootstrapServers}");
    }
}
