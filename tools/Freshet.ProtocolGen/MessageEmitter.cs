namespace Freshet.ProtocolGen;

/// <summary>Emits one message's C# file: the top-level class and its nested struct classes.</summary>
internal sealed class MessageEmitter(MessageModel model)
{
    private readonly MessageSpec _spec = model.Spec;
    private int _unique;

    private VersionRange Valid => _spec.ValidVersions;

    public string Emit()
    {
        var w = new CodeWriter();
        GeneratedHeader.Write(w);
        var interfaces = _spec.Kind switch
        {
            "request" => "IRequestMessage",
            "response" => "IResponseMessage",
            _ => "IMessage",
        };
        w.Open($"public sealed partial class {model.Name} : {interfaces}");
        w.Line($"public const short LowestSupportedVersion = {Valid.Low};");
        w.Line();
        w.Line($"public const short HighestSupportedVersion = {Valid.High};");
        w.Line();
        if (_spec.ApiKey is not null)
        {
            var apiName = Naming.ApiName(_spec.Kind == "request" ? _spec.Name : _spec.Name.Replace("Response", "Request", StringComparison.Ordinal));
            w.Line($"public ApiKey ApiKey => ApiKey.{apiName};");
            w.Line();
        }
        EmitBody(w, model.Root);
        foreach (var nested in model.Structs)
        {
            w.Line();
            w.Open($"public sealed partial class {nested.ClassName} : IMessage");
            EmitBody(w, nested);
            w.Close();
        }
        w.Close();
        return w.ToString();
    }

    private void EmitBody(CodeWriter w, StructModel s)
    {
        foreach (var field in s.Fields)
        {
            w.Line($"public {TypeNames.Property(field, model.Name)} {field.Property} {{ get; set; }} = {TypeNames.Default(field)};");
            w.Line();
        }
        EmitRead(w, s);
        w.Line();
        EmitWrite(w, s);
        w.Line();
        var checks = s.Fields.Select(f => $"!({TypeNames.Differs(f, f.Property)})").ToList();
        w.Line($"internal bool EqualsDefault() => {(checks.Count == 0 ? "true" : string.Join(" && ", checks))};");
    }

    private VersionRange Present(FieldModel f) => f.Spec.Versions.Intersect(Valid);

    private VersionRange Tagged(FieldModel f) =>
        f.Spec.Tag is null ? VersionRange.None : f.Spec.TaggedVersions.Intersect(Present(f));

    private VersionRange Regular(FieldModel f) =>
        f.Spec.Tag is null || f.Spec.TaggedVersions.IsEmpty ? Present(f) : Present(f).Below(f.Spec.TaggedVersions.Low);

    private string Compact(FieldModel f, VersionRange context) =>
        VersionConditions.Within(f.Spec.FlexibleVersions ?? _spec.FlexibleVersions, context);

    private string Nullable(FieldModel f, VersionRange context) =>
        VersionConditions.Within(f.Spec.NullableVersions, context);

    private string FlexibleStruct => VersionConditions.Within(_spec.FlexibleVersions, Valid);

    private List<FieldModel> TaggedFields(StructModel s) =>
        [.. s.Fields.Where(f => !Tagged(f).IsEmpty).OrderBy(f => f.Spec.Tag)];

    private void EmitRead(CodeWriter w, StructModel s)
    {
        _unique = 0;
        var type = s == model.Root ? model.Name : $"{model.Name}.{s.ClassName}";
        w.Open($"public static {s.ClassName} Read(ref KafkaReader reader, short version)");
        w.Line($"var result = new {type}();");
        foreach (var field in s.Fields)
        {
            var regular = Regular(field);
            var present = VersionConditions.Within(regular, Valid);
            if (present == "false")
            {
                continue;
            }
            Guarded(w, present, () => ReadValue(w, field, $"result.{field.Property}", "reader", Compact(field, regular), Nullable(field, regular)));
        }
        var flexible = FlexibleStruct;
        if (flexible != "false")
        {
            Guarded(w, flexible, () => ReadTags(w, s));
        }
        w.Line("return result;");
        w.Close();
    }

    private void ReadTags(CodeWriter w, StructModel s)
    {
        var tagged = TaggedFields(s);
        if (tagged.Count == 0)
        {
            w.Line("reader.SkipTaggedFields();");
            return;
        }
        w.Line("var tagCount = reader.ReadUnsignedVarInt();");
        w.Open("for (var tagIndex = 0u; tagIndex < tagCount; tagIndex++)");
        w.Line("var tag = reader.ReadUnsignedVarInt();");
        w.Line("var tagSize = MessageIo.ReadTagSize(ref reader);");
        w.Open("switch (tag)");
        foreach (var field in tagged)
        {
            var range = Tagged(field);
            var when = VersionConditions.Within(range, Valid);
            w.Line($"case {field.Spec.Tag}{(when == "true" ? "" : $" when {when}")}:");
            w.Open("");
            w.Line("var tagReader = new KafkaReader(reader.ReadRaw(tagSize));");
            ReadValue(w, field, $"result.{field.Property}", "tagReader", "true", Nullable(field, range));
            w.Line("break;");
            w.Close();
        }
        w.Line("default:");
        w.Line("    reader.Skip(tagSize);");
        w.Line("    break;");
        w.Close();
        w.Close();
    }

    private void ReadValue(CodeWriter w, FieldModel f, string target, string r, string compact, string nullable)
    {
        switch (f.Kind)
        {
            case FieldKind.Primitive:
                w.Line($"{target} = {r}.Read{TypeNames.PrimitiveMethod(f.TypeName)}();");
                break;
            case FieldKind.String:
                w.Line($"{target} = {Choose(nullable, $"MessageIo.ReadNullableString(ref {r}, {compact})", $"MessageIo.ReadString(ref {r}, {compact})")};");
                break;
            case FieldKind.Bytes:
            case FieldKind.Records:
                w.Line($"{target} = {Choose(nullable, $"MessageIo.ReadNullableBytes(ref {r}, {compact})", $"MessageIo.ReadBytes(ref {r}, {compact})")};");
                break;
            case FieldKind.Struct:
                var read = $"{model.Name}.{f.TypeName}.Read(ref {r}, version)";
                w.Line(nullable == "false"
                    ? $"{target} = {read};"
                    : $"{target} = MessageIo.ReadStructPresence(ref {r}, {nullable}) ? {read} : null;");
                break;
            case FieldKind.Array:
                var id = _unique++;
                var count = $"count{id}";
                var list = $"list{id}";
                w.Line($"var {count} = MessageIo.ReadArrayCount(ref {r}, {compact}, {nullable}, {MinElementSize(f, compact)});");
                if (f.IsNullable)
                {
                    w.Open($"if ({count} < 0)");
                    w.Line($"{target} = null;");
                    w.Close();
                    w.Open("else");
                }
                else
                {
                    w.Open("");
                }
                w.Line($"var {list} = new List<{TypeNames.Element(f, model.Name)}>({count});");
                w.Open($"for (var i{id} = 0; i{id} < {count}; i{id}++)");
                w.Line($"{list}.Add({ReadElement(f, r, compact)});");
                w.Close();
                w.Line($"{target} = {list};");
                w.Close();
                break;
        }
    }

    private string ReadElement(FieldModel f, string r, string compact) => f.ElementKind switch
    {
        FieldKind.Primitive => $"{r}.Read{TypeNames.PrimitiveMethod(f.TypeName)}()",
        FieldKind.String => $"MessageIo.ReadString(ref {r}, {compact})",
        FieldKind.Struct => $"{model.Name}.{f.TypeName}.Read(ref {r}, version)",
        _ => throw new InvalidOperationException($"{f.Property}: unsupported array element."),
    };

    private static string Choose(string condition, string whenTrue, string whenFalse) =>
        condition == "true" ? whenTrue : condition == "false" ? whenFalse : $"{VersionConditions.Paren(condition)} ? {whenTrue} : {whenFalse}";

    private void EmitWrite(CodeWriter w, StructModel s)
    {
        _unique = 0;
        w.Open("public void Write(KafkaWriter writer, short version)");
        foreach (var field in s.Fields)
        {
            var regular = Regular(field);
            var present = VersionConditions.Within(regular, Valid);
            if (present == "false")
            {
                continue;
            }
            Guarded(w, present, () => WriteValue(w, field, "writer", Compact(field, regular), Nullable(field, regular)));
        }
        var flexible = FlexibleStruct;
        if (flexible != "false")
        {
            Guarded(w, flexible, () => WriteTags(w, s));
        }
        w.Close();
    }

    private void WriteTags(CodeWriter w, StructModel s)
    {
        var tagged = TaggedFields(s);
        if (tagged.Count == 0)
        {
            w.Line("writer.WriteEmptyTaggedFields();");
            return;
        }
        var conditions = tagged.Select(f => VersionConditions.And(VersionConditions.Within(Tagged(f), Valid), TypeNames.Differs(f, f.Property))).ToList();
        w.Line("var tagCount = 0u;");
        foreach (var condition in conditions)
        {
            Guarded(w, condition, () => w.Line("tagCount++;"));
        }
        w.Line("writer.WriteUnsignedVarInt(tagCount);");
        for (var i = 0; i < tagged.Count; i++)
        {
            var field = tagged[i];
            Guarded(w, conditions[i], () =>
            {
                w.Line("using var tagBody = new PooledBufferWriter();");
                w.Line("var tagWriter = new KafkaWriter(tagBody);");
                WriteValue(w, field, "tagWriter", "true", Nullable(field, Tagged(field)));
                w.Line($"MessageIo.WriteTaggedField(writer, {field.Spec.Tag}, tagBody.WrittenSpan);");
            }, forceBlock: true);
        }
    }

    private void WriteValue(CodeWriter w, FieldModel f, string wr, string compact, string nullable)
    {
        var name = Naming.Literal(f.Property);
        switch (f.Kind)
        {
            case FieldKind.Primitive:
                w.Line($"{wr}.Write{TypeNames.PrimitiveMethod(f.TypeName)}({f.Property});");
                break;
            case FieldKind.String:
                w.Line($"MessageIo.WriteString({wr}, {f.Property}, {compact}, {nullable}, {name});");
                break;
            case FieldKind.Bytes:
            case FieldKind.Records:
                w.Line($"MessageIo.WriteBytes({wr}, {f.Property}, {compact}, {nullable}, {name});");
                break;
            case FieldKind.Struct:
                if (f.IsNullable)
                {
                    w.Line($"MessageIo.WriteStructPresence({wr}, {f.Property} is not null, {nullable}, {name});");
                    w.Line($"{f.Property}?.Write({wr}, version);");
                }
                else
                {
                    w.Line($"{f.Property}.Write({wr}, version);");
                }
                break;
            case FieldKind.Array:
                var item = $"item{_unique++}";
                if (f.IsNullable)
                {
                    w.Open($"if ({f.Property} is null)");
                    w.Line($"MessageIo.WriteNullArray({wr}, {compact}, {nullable}, {name});");
                    w.Close();
                    w.Open("else");
                }
                else
                {
                    w.Open("");
                }
                w.Line($"MessageIo.WriteArrayCount({wr}, {compact}, {f.Property}.Count);");
                w.Open($"foreach (var {item} in {f.Property})");
                w.Line(f.ElementKind switch
                {
                    FieldKind.Primitive => $"{wr}.Write{TypeNames.PrimitiveMethod(f.TypeName)}({item});",
                    FieldKind.String => $"MessageIo.WriteString({wr}, {item}, {compact}, false, {name});",
                    FieldKind.Struct => $"{item}.Write({wr}, version);",
                    _ => throw new InvalidOperationException(),
                });
                w.Close();
                w.Close();
                break;
        }
    }

    private static void Guarded(CodeWriter w, string condition, Action body, bool forceBlock = false)
    {
        if (condition == "false")
        {
            return;
        }
        if (condition == "true")
        {
            if (forceBlock)
            {
                w.Open("");
                body();
                w.Close();
            }
            else
            {
                body();
            }
            return;
        }
        w.Open($"if ({condition})");
        body();
        w.Close();
    }

    private int MinElementSize(FieldModel f, string compact) => f.ElementKind switch
    {
        FieldKind.Primitive => TypeNames.PrimitiveSize(f.TypeName),
        FieldKind.String => compact == "false" ? 2 : 1,
        FieldKind.Struct => Math.Max(1, MinStructSize(model.StructFor(f.TypeName))),
        _ => 1,
    };

    /// <summary>The fewest bytes one encoded instance can take in any valid version.</summary>
    private int MinStructSize(StructModel s)
    {
        var min = int.MaxValue;
        for (var v = Valid.Low; v <= Math.Min(Valid.High, (short)64); v++)
        {
            min = Math.Min(min, MinStructSize(s, v));
        }
        return min == int.MaxValue ? 1 : min;
    }

    private int MinStructSize(StructModel s, short version)
    {
        var size = _spec.FlexibleVersions.Contains(version) ? 1 : 0;
        foreach (var f in s.Fields)
        {
            if (!Regular(f).Contains(version))
            {
                continue;
            }
            var compact = (f.Spec.FlexibleVersions ?? _spec.FlexibleVersions).Contains(version);
            size += f.Kind switch
            {
                FieldKind.Primitive => TypeNames.PrimitiveSize(f.TypeName),
                FieldKind.String => compact ? 1 : 2,
                FieldKind.Bytes or FieldKind.Records or FieldKind.Array => compact ? 1 : 4,
                FieldKind.Struct => f.Spec.NullableVersions.Contains(version) ? 1 : MinStructSize(model.StructFor(f.TypeName), version),
                _ => 0,
            };
        }
        return size;
    }
}
