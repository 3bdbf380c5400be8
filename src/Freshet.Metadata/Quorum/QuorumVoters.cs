using System.Globalization;

namespace Freshet.Metadata.Quorum;

/// <summary>Parses Kafka's <c>controller.quorum.voters</c> (<c>id@host:port,id@host:port</c>).</summary>
public static class QuorumVoters
{
    public static IReadOnlyList<QuorumVoter> Parse(string value)
    {
        var voters = new List<QuorumVoter>();
        foreach (var raw in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = raw.IndexOf('@', StringComparison.Ordinal);
            var colon = raw.LastIndexOf(':');
            if (at <= 0 || colon <= at + 1 || colon == raw.Length - 1)
                throw new FormatException($"Controller quorum voter '{raw}' is not of the form id@host:port.");
            var host = raw[(at + 1)..colon].Trim('[', ']');
            if (!int.TryParse(raw[..at], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || !int.TryParse(raw[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || port is < 1 or > 65535)
                throw new FormatException($"Controller quorum voter '{raw}' has a bad id or port.");
            foreach (var existing in voters)
            {
                if (existing.Id == id)
                    throw new FormatException($"Controller quorum voter id {id} appears twice.");
            }
            voters.Add(new QuorumVoter(id, host, port));
        }
        if (voters.Count == 0)
            throw new FormatException("controller.quorum.voters names no voter.");
        return voters;
    }
}
