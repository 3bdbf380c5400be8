using System.Collections;
using System.Reflection;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Tests.Messages;

/// <summary>Builds generated messages with every property set to a non-default value.</summary>
internal static class MessageFiller
{
    public static IEnumerable<Type> AllMessageTypes() =>
        typeof(IMessage).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsNested && typeof(IMessage).IsAssignableFrom(t)
                && t.Namespace == typeof(IMessage).Namespace
                && t.GetField("LowestSupportedVersion") is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    public static (short Lowest, short Highest) Versions(Type type) =>
        ((short)type.GetField("LowestSupportedVersion")!.GetValue(null)!,
         (short)type.GetField("HighestSupportedVersion")!.GetValue(null)!);

    public static IMessage Filled(Type type)
    {
        var counter = 0;
        return (IMessage)Fill(type, ref counter, depth: 0);
    }

    private static object Fill(Type type, ref int counter, int depth)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            property.SetValue(instance, Value(property.PropertyType, property.GetValue(instance), ref counter, depth));
        }
        return instance;
    }

    private static object Value(Type type, object? current, ref int counter, int depth)
    {
        counter++;
        var n = 17 + (counter % 50);
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(sbyte)) return (sbyte)n;
        if (underlying == typeof(short)) return (short)n;
        if (underlying == typeof(ushort)) return (ushort)n;
        if (underlying == typeof(int)) return n;
        if (underlying == typeof(uint)) return (uint)n;
        if (underlying == typeof(long)) return (long)n << 33;
        if (underlying == typeof(double)) return n + 0.5;
        if (underlying == typeof(bool)) return current is not true;
        if (underlying == typeof(string)) return $"s{n}é";
        if (underlying == typeof(KafkaUuid)) return new KafkaUuid(n, -n);
        if (underlying == typeof(ReadOnlyMemory<byte>)) return new ReadOnlyMemory<byte>([(byte)n, 1, 2]);
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            var element = underlying.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(underlying)!;
            var count = depth < 3 ? 2 : 1;
            for (var i = 0; i < count; i++)
            {
                list.Add(Value(element, null, ref counter, depth + 1));
            }
            return list;
        }
        if (typeof(IMessage).IsAssignableFrom(underlying))
        {
            return Fill(underlying, ref counter, depth + 1);
        }
        throw new NotSupportedException(type.FullName);
    }
}
