namespace Freshet.Broker.Topics;

/// <summary>Kafka's rules for topic names: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".</summary>
internal static class TopicNameRules
{
    public const int MaxLength = 249;

    public static bool IsValid(string? name, out string error)
    {
        if (string.IsNullOrEmpty(name))
        {
            error = "Topic name is empty.";
            return false;
        }
        if (name is "." or "..")
        {
            error = $"Topic name cannot be \"{name}\".";
            return false;
        }
        if (name.Length > MaxLength)
        {
            error = $"Topic name is {name.Length} characters long; the limit is {MaxLength}.";
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                error = $"Topic name \"{name}\" is illegal: it contains '{c}'; only ASCII letters, digits, '.', '_' and '-' are allowed.";
                return false;
            }
        }
        error = string.Empty;
        return true;
    }
}
