using System.Globalization;

namespace Freshet.ProtocolGen;

/// <summary>C# types, defaults and "differs from default" tests for fields.</summary>
internal static class TypeNames
{
    public static string Primitive(string type) => type switch
    {
        "int8" => "sbyte",
        "int16" => "short",
        "uint16" => "ushort",
        "int32" => "int",
        "uint32" => "uint",
        "int64" => "long",
        "float64" => "double",
        "bool" => "bool",
        "uuid" => "KafkaUuid",
        _ => throw new InvalidOperationException($"Not a primitive: {type}"),
    };

    public static string PrimitiveMethod(string type) => type switch
    {
        "int8" => "Int8",
        "int16" => "Int16",
        "uint16" => "UInt16",
        "int32" => "Int32",
        "uint32" => "UInt32",
        "int64" => "Int64",
        "float64" => "Float64",
        "bool" => "Bool",
        "uuid" => "Uuid",
        _ => throw new InvalidOperationException($"Not a primitive: {type}"),
    };

    public static int PrimitiveSize(string type) => type switch
    {
        "int8" or "bool" => 1,
        "int16" or "uint16" => 2,
        "int32" or "uint32" => 4,
        "int64" or "float64" => 8,
        "uuid" => 16,
        _ => throw new InvalidOperationException($"Not a primitive: {type}"),
    };

    public static string Element(FieldModel field, string messageName) => field.ElementKind switch
    {
        FieldKind.Primitive => Primitive(field.TypeName),
        FieldKind.String => "string",
        FieldKind.Struct => $"{messageName}.{field.TypeName}",
        _ => throw new InvalidOperationException($"{field.Property}: unsupported array element {field.TypeName}."),
    };

    public static string Property(FieldModel field, string messageName)
    {
        var q = field.IsNullable ? "?" : "";
        return field.Kind switch
        {
            FieldKind.Primitive => Primitive(field.TypeName),
            FieldKind.String => "string" + q,
            FieldKind.Bytes or FieldKind.Records => "ReadOnlyMemory<byte>" + q,
            FieldKind.Struct => $"{messageName}.{field.TypeName}" + q,
            FieldKind.Array => $"List<{Element(field, messageName)}>" + q,
            _ => throw new InvalidOperationException(),
        };
    }

    public static string Default(FieldModel field)
    {
        var def = field.Spec.Default;
        return field.Kind switch
        {
            FieldKind.Primitive => PrimitiveDefault(field.TypeName, def),
            FieldKind.String => def is null ? "\"\"" : def == "null" ? "null" : Naming.Literal(def),
            FieldKind.Bytes => field.DefaultIsNull ? "null" : "ReadOnlyMemory<byte>.Empty",
            FieldKind.Records => "null",
            FieldKind.Struct => field.DefaultIsNull ? "null" : "new()",
            FieldKind.Array => field.DefaultIsNull ? "null" : "[]",
            _ => throw new InvalidOperationException(),
        };
    }

    private static string PrimitiveDefault(string type, string? def)
    {
        if (type == "uuid")
        {
            return "KafkaUuid.Zero";
        }
        if (type == "bool")
        {
            return def is null ? "false" : bool.Parse(def) ? "true" : "false";
        }
        if (type == "float64")
        {
            return (def is null ? 0d : double.Parse(def, CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture) + "d";
        }
        if (def is null)
        {
            return "0";
        }
        var value = def.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.Parse(def[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : long.Parse(def, CultureInfo.InvariantCulture);
        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A C# expression that is true when the property differs from its default.</summary>
    public static string Differs(FieldModel field, string access)
    {
        var def = Default(field);
        return field.Kind switch
        {
            FieldKind.Primitive => $"{access} != {def}",
            FieldKind.String => def == "null" ? $"{access} is not null" : $"{access} != {def}",
            FieldKind.Bytes => def == "null" ? $"{access} is not null"
                : field.IsNullable ? $"{access} is not {{ IsEmpty: true }}" : $"!{access}.IsEmpty",
            FieldKind.Records => $"{access} is not null",
            FieldKind.Struct => def == "null" ? $"{access} is not null"
                : field.IsNullable ? $"({access} is null || !{access}.EqualsDefault())" : $"!{access}.EqualsDefault()",
            FieldKind.Array => def == "null" ? $"{access} is not null"
                : field.IsNullable ? $"{access} is not {{ Count: 0 }}" : $"{access}.Count != 0",
            _ => throw new InvalidOperationException(),
        };
    }
}
