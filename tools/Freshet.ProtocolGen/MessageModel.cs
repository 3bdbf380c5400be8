namespace Freshet.ProtocolGen;

internal enum FieldKind
{
    Primitive,
    String,
    Bytes,
    Records,
    Struct,
    Array,
}

/// <summary>A field resolved for emission: its C# name, kind, and element or struct class.</summary>
internal sealed class FieldModel
{
    public required FieldSpec Spec { get; init; }

    public required string Property { get; init; }

    public required FieldKind Kind { get; init; }

    /// <summary>For arrays: the element's kind (never Array).</summary>
    public FieldKind ElementKind { get; init; }

    /// <summary>The primitive schema type (field or array element), or the struct's class.</summary>
    public required string TypeName { get; init; }

    /// <summary>Nullable in some present version or defaulting to null.</summary>
    public bool IsNullable { get; init; }

    public bool DefaultIsNull => Spec.Default == "null";
}

internal sealed class StructModel
{
    public required string ClassName { get; init; }

    public required string SchemaName { get; init; }

    public List<FieldSpec> Specs { get; init; } = [];

    public List<FieldModel> Fields { get; } = [];
}

/// <summary>One message with its nested struct classes, names resolved and collisions renamed.</summary>
internal sealed class MessageModel
{
    public static readonly string[] Primitives =
        ["int8", "int16", "uint16", "int32", "uint32", "int64", "float64", "bool", "uuid"];

    private static readonly string[] ReservedMembers =
        ["Read", "Write", "ApiKey", "EqualsDefault", "LowestSupportedVersion", "HighestSupportedVersion"];

    public required MessageSpec Spec { get; init; }

    public required StructModel Root { get; init; }

    public List<StructModel> Structs { get; } = [];

    public string Name => Spec.Name;

    public static MessageModel Build(MessageSpec spec)
    {
        var structSpecs = new Dictionary<string, StructModel>(StringComparer.Ordinal);
        var order = new List<string>();
        void Collect(IEnumerable<FieldSpec> fields)
        {
            foreach (var field in fields)
            {
                if (field.Fields.Count > 0 && !structSpecs.ContainsKey(field.ElementType))
                {
                    structSpecs[field.ElementType] = new StructModel { ClassName = "", SchemaName = field.ElementType, Specs = field.Fields };
                    order.Add(field.ElementType);
                }
                Collect(field.Fields);
            }
        }
        Collect(spec.Fields);
        foreach (var common in spec.CommonStructs)
        {
            if (!structSpecs.ContainsKey(common.Name))
            {
                structSpecs[common.Name] = new StructModel { ClassName = "", SchemaName = common.Name, Specs = common.Fields };
                order.Add(common.Name);
            }
            Collect(common.Fields);
        }

        var reserved = new HashSet<string>(ReservedMembers, StringComparer.Ordinal) { spec.Name };
        foreach (var field in spec.Fields)
        {
            reserved.Add(Naming.Pascal(field.Name));
        }
        var classNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in order)
        {
            var className = Naming.Pascal(name);
            var own = structSpecs[name].Specs.Select(f => Naming.Pascal(f.Name));
            if (reserved.Contains(className) || own.Contains(className))
            {
                className += "Data";
            }
            classNames[name] = className;
            reserved.Add(className);
        }

        var model = new MessageModel
        {
            Spec = spec,
            Root = new StructModel { ClassName = spec.Name, SchemaName = spec.Name, Specs = spec.Fields },
        };
        Resolve(model.Root, spec, classNames);
        foreach (var name in order)
        {
            var nested = new StructModel { ClassName = classNames[name], SchemaName = name, Specs = structSpecs[name].Specs };
            Resolve(nested, spec, classNames);
            model.Structs.Add(nested);
        }
        return model;
    }

    public StructModel StructFor(string className) => Structs.First(s => s.ClassName == className);

    private static void Resolve(StructModel target, MessageSpec message, Dictionary<string, string> classNames)
    {
        foreach (var field in target.Specs)
        {
            var present = field.Versions.Intersect(message.ValidVersions);
            var nullable = !field.NullableVersions.Intersect(present).IsEmpty || field.Default == "null";
            var element = field.ElementType;
            FieldKind KindOf(string type) => type switch
            {
                "string" => FieldKind.String,
                "bytes" => FieldKind.Bytes,
                "records" => FieldKind.Records,
                _ when Primitives.Contains(type) => FieldKind.Primitive,
                _ when classNames.ContainsKey(type) => FieldKind.Struct,
                _ => throw new InvalidOperationException($"{message.Name}.{field.Name}: unknown type '{type}'."),
            };
            var elementKind = KindOf(element);
            target.Fields.Add(new FieldModel
            {
                Spec = field,
                Property = Naming.Pascal(field.Name),
                Kind = field.IsArray ? FieldKind.Array : elementKind,
                ElementKind = elementKind,
                TypeName = elementKind == FieldKind.Struct ? classNames[element] : element,
                IsNullable = nullable || elementKind == FieldKind.Records && !field.IsArray,
            });
        }
    }
}
