namespace Freshet.ProtocolGen;

/// <summary>An inclusive version range; <see cref="None"/> is empty. "N+" is open-ended.</summary>
internal readonly record struct VersionRange(short Low, short High)
{
    public static readonly VersionRange None = new(1, 0);

    public static readonly VersionRange All = new(0, short.MaxValue);

    public bool IsEmpty => Low > High;

    public bool IsOpenEnded => !IsEmpty && High == short.MaxValue;

    public bool Contains(short version) => version >= Low && version <= High;

    public VersionRange Intersect(VersionRange other) =>
        IsEmpty || other.IsEmpty ? None : Normalize(new(Math.Max(Low, other.Low), Math.Min(High, other.High)));

    /// <summary>This range minus an open-ended range that starts at or after this one's start.</summary>
    public VersionRange Below(short start) => IsEmpty ? None : Normalize(new(Low, Math.Min(High, (short)(start - 1))));

    private static VersionRange Normalize(VersionRange range) => range.IsEmpty ? None : range;

    public static VersionRange Parse(string text)
    {
        text = text.Trim();
        if (text == "none")
        {
            return None;
        }
        if (text.EndsWith('+'))
        {
            return new(short.Parse(text[..^1]), short.MaxValue);
        }
        var dash = text.IndexOf('-');
        return dash < 0
            ? new(short.Parse(text), short.Parse(text))
            : new(short.Parse(text[..dash]), short.Parse(text[(dash + 1)..]));
    }

    public override string ToString() =>
        IsEmpty ? "none" : IsOpenEnded ? $"{Low}+" : Low == High ? $"{Low}" : $"{Low}-{High}";
}

/// <summary>One field of a message or struct, holding only wire facts.</summary>
internal sealed class FieldSpec
{
    public required string Name { get; init; }

    /// <summary>Primitive name, struct name, or "[]" + element name.</summary>
    public required string Type { get; init; }

    public VersionRange Versions { get; init; } = VersionRange.All;

    public VersionRange NullableVersions { get; init; } = VersionRange.None;

    /// <summary>The schema default as written, or null when the type's natural default applies.</summary>
    public string? Default { get; init; }

    public int? Tag { get; init; }

    public VersionRange TaggedVersions { get; init; } = VersionRange.None;

    /// <summary>Overrides the message's flexible versions for this field when set.</summary>
    public VersionRange? FlexibleVersions { get; init; }

    public bool Ignorable { get; init; }

    /// <summary>Inline struct fields, for struct and struct-array types.</summary>
    public List<FieldSpec> Fields { get; init; } = [];

    public bool IsArray => Type.StartsWith("[]", StringComparison.Ordinal);

    public string ElementType => IsArray ? Type[2..] : Type;
}

/// <summary>A named struct: a message body or one of its common structs.</summary>
internal sealed class StructSpec
{
    public required string Name { get; init; }

    public VersionRange Versions { get; init; } = VersionRange.All;

    public List<FieldSpec> Fields { get; init; } = [];
}

/// <summary>One message definition: request, response, header or data.</summary>
internal sealed class MessageSpec
{
    public required string Name { get; init; }

    public required string Kind { get; init; }

    public short? ApiKey { get; init; }

    public List<string> Listeners { get; init; } = [];

    public VersionRange ValidVersions { get; init; }

    public VersionRange FlexibleVersions { get; init; } = VersionRange.None;

    public List<FieldSpec> Fields { get; init; } = [];

    public List<StructSpec> CommonStructs { get; init; } = [];
}

internal sealed record ErrorCodeSpec(short Code, string Name);
