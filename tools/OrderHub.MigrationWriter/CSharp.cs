using System.Globalization;
using System.Numerics;

namespace OrderHub.MigrationWriter;

/// <summary>C# spellings of values and types, for generated code.</summary>
internal static class CSharp
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte",
        [typeof(short)] = "short",
        [typeof(ushort)] = "ushort",
        [typeof(int)] = "int",
        [typeof(uint)] = "uint",
        [typeof(long)] = "long",
        [typeof(ulong)] = "ulong",
        [typeof(float)] = "float",
        [typeof(double)] = "double",
        [typeof(decimal)] = "decimal",
        [typeof(char)] = "char",
        [typeof(string)] = "string",
        [typeof(object)] = "object",
    };

    /// <summary>The namespaces every generated file imports; their types are written by short name.</summary>
    public static readonly string[] ImportedNamespaces =
    [
        "System",
        "Microsoft.EntityFrameworkCore",
        "Microsoft.EntityFrameworkCore.Infrastructure",
        "Microsoft.EntityFrameworkCore.Metadata",
        "Microsoft.EntityFrameworkCore.Migrations",
    ];

    /// <summary>A type reference that compiles with <see cref="ImportedNamespaces"/> in scope.</summary>
    public static string Type(Type type)
    {
        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Type(underlying) + "?";
        }

        if (type.IsArray)
        {
            return Type(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        if (type.IsGenericType)
        {
            var name = type.GetGenericTypeDefinition().FullName!;
            name = name[..name.IndexOf('`', StringComparison.Ordinal)].Replace('+', '.');
            return "global::" + name + "<" + string.Join(", ", type.GetGenericArguments().Select(Type)) + ">";
        }

        return ImportedNamespaces.Contains(type.Namespace) && !type.IsNested
            ? type.Name
            : "global::" + type.FullName!.Replace('+', '.');
    }

    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => String(s),
        bool b => b ? "true" : "false",
        char c => c == '\'' ? @"'\''" : c == '\\' ? @"'\\'" : $"'{c}'",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        short s => $"(short){s.ToString(CultureInfo.InvariantCulture)}",
        byte b => $"(byte){b.ToString(CultureInfo.InvariantCulture)}",
        uint u => u.ToString(CultureInfo.InvariantCulture) + "u",
        ulong u => u.ToString(CultureInfo.InvariantCulture) + "ul",
        decimal d => d.ToString(CultureInfo.InvariantCulture) + "m",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        BigInteger n => $"BigInteger.Parse(\"{n.ToString(CultureInfo.InvariantCulture)}\", NumberFormatInfo.InvariantInfo)",
        Guid g => $"new Guid(\"{g}\")",
        DateTime dt => $"new DateTime({dt.Ticks}L, DateTimeKind.{dt.Kind})",
        DateTimeOffset dto => $"new DateTimeOffset({dto.Ticks}L, new TimeSpan({dto.Offset.Ticks}L))",
        TimeSpan ts => $"new TimeSpan({ts.Ticks}L)",
        Enum e => Enum(e),
        string[] array => "new[] { " + string.Join(", ", array.Select(String)) + " }",
        bool[] array => "new[] { " + string.Join(", ", array.Select(b => Literal(b))) + " }",
        int[] array => "new[] { " + string.Join(", ", array.Select(i => Literal(i))) + " }",
        _ => throw new NotSupportedException(
            $"The migration writer cannot write a literal of type {value.GetType()} ({value}). Teach CSharp.Literal about it."),
    };

    public static string String(string value) =>
        "\"" + value
            .Replace("\\", @"\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\r", @"\r", StringComparison.Ordinal)
            .Replace("\n", @"\n", StringComparison.Ordinal)
            .Replace("\t", @"\t", StringComparison.Ordinal) + "\"";

    public static string Strings(IEnumerable<string> values) => string.Join(", ", values.Select(String));

    private static string Enum(Enum value)
    {
        var type = Type(value.GetType());
        var name = System.Enum.GetName(value.GetType(), value);
        if (name is not null)
        {
            return type + "." + name;
        }

        // A flags combination or an undefined value: the number, cast.
        var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
        return $"({type}){number.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>A C# identifier for <paramref name="name"/>, made unique among <paramref name="taken"/>.</summary>
    public static string Identifier(string name, ISet<string> taken)
    {
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        var identifier = new string(chars);
        if (identifier.Length == 0 || char.IsDigit(identifier[0]))
        {
            identifier = "_" + identifier;
        }

        var candidate = identifier;
        for (var i = 1; !taken.Add(candidate); i++)
        {
            candidate = identifier + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
