using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace OrderHub.MigrationWriter;

/// <summary>
/// Writes the body of <c>BuildModel(ModelBuilder modelBuilder)</c> that rebuilds a model, the way EF's own
/// snapshots do: no conventions run on it, so everything the relational model needs is spelled out (provider
/// CLR types, column types and names, nullability, value generation, keys, indexes and constraints with their
/// names, and the provider's annotations).
/// </summary>
internal static class SnapshotWriter
{
    private static readonly string[] ProviderPrefixes = ["Relational:", "Npgsql:", "Sqlite:"];

    // Annotations written through fluent calls, or that are bookkeeping and not part of the stored model.
    private static readonly HashSet<string> Handled =
    [
        "Relational:TableName",
        "Relational:Schema",
        "Relational:ColumnName",
        "Relational:ColumnType",
        "Relational:DefaultValue",
        "Relational:DefaultValueSql",
        "Relational:ComputedColumnSql",
        "Relational:IsStored",
        "Relational:Comment",
        "Relational:Collation",
        "Relational:IsFixedLength",
        "Relational:Name",
        "Relational:Filter",
        "Relational:RelationalModel",
        "Relational:RelationalModelFactory",
        "Relational:ModelDependencies",
        "Relational:MappingStrategy",
        "Relational:DefaultMappings",
        "Relational:TableMappings",
        "Relational:TableColumnMappings",
        "Relational:DefaultColumnMappings",
    ];

    public static void Write(CodeWriter code, IModel model)
    {
        var annotations = ProviderAnnotations(model).ToList();
        var productVersion = model.GetProductVersion() ?? typeof(DbContext).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>()
            .Single().InformationalVersion.Split('+')[0];
        code.Line("modelBuilder");
        using (code.Indent())
        {
            code.Line($".HasAnnotation(\"ProductVersion\", {CSharp.String(productVersion)})" + (annotations.Count == 0 ? ";" : ""));
            for (var i = 0; i < annotations.Count; i++)
            {
                code.Line(Annotation(annotations[i]) + (i == annotations.Count - 1 ? ";" : ""));
            }
        }

        if (model.GetSequences().Any())
        {
            throw Unsupported("sequences");
        }

        var entityTypes = model.GetEntityTypes()
            .Where(e => !e.IsOwned())
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var entityType in entityTypes)
        {
            code.Line();
            code.Line($"modelBuilder.Entity({CSharp.String(entityType.Name)}, b =>");
            using (code.Block("{", "});"))
            {
                WriteEntityBody(code, entityType, "b");
            }
        }

        foreach (var entityType in entityTypes)
        {
            var owned = OwnedNavigations(entityType).ToList();
            var foreignKeys = RelationshipForeignKeys(entityType).ToList();
            if (owned.Count == 0 && foreignKeys.Count == 0)
            {
                continue;
            }

            code.Line();
            code.Line($"modelBuilder.Entity({CSharp.String(entityType.Name)}, b =>");
            using (code.Block("{", "});"))
            {
                WriteRelationships(code, entityType, "b", 1);
            }
        }
    }

    private static void WriteEntityBody(CodeWriter code, IEntityType entityType, string b)
    {
        if (entityType.BaseType is not null || entityType.GetDirectlyDerivedTypes().Any())
        {
            throw Unsupported($"inheritance ({entityType.DisplayName()})");
        }

        if (entityType.GetSeedData().Any())
        {
            throw Unsupported($"seed data ({entityType.DisplayName()})");
        }

        if (entityType.GetCheckConstraints().Any() || entityType.GetDeclaredTriggers().Any())
        {
            throw Unsupported($"check constraints or triggers ({entityType.DisplayName()})");
        }

        if (entityType.GetTableName() is null)
        {
            throw Unsupported($"an entity type not mapped to a table ({entityType.DisplayName()})");
        }

        var primaryKey = entityType.FindPrimaryKey();
        var properties = entityType.GetDeclaredProperties()
            .OrderBy(p => primaryKey?.Properties.Contains(p) == true ? primaryKey.Properties.ToList().IndexOf(p) : int.MaxValue)
            .ThenBy(p => p.Name, StringComparer.Ordinal);
        var first = true;
        foreach (var property in properties)
        {
            if (!first)
            {
                code.Line();
            }

            first = false;
            WriteProperty(code, property, b);
        }

        foreach (var key in entityType.GetDeclaredKeys().OrderBy(k => k.IsPrimaryKey() ? 0 : 1).ThenBy(k => k.GetName(), StringComparer.Ordinal))
        {
            code.Line();
            var method = key.IsPrimaryKey() ? "HasKey" : "HasAlternateKey";
            code.Line($"{b}.{method}({CSharp.Strings(key.Properties.Select(p => p.Name))})");
            using (code.Indent())
            {
                Calls(code, [$".HasName({CSharp.String(key.GetName()!)})", .. ProviderAnnotations(key).Select(Annotation)]);
            }
        }

        foreach (var index in entityType.GetDeclaredIndexes().OrderBy(i => i.GetDatabaseName(), StringComparer.Ordinal))
        {
            code.Line();
            var columns = CSharp.Strings(index.Properties.Select(p => p.Name));
            code.Line(index.Name is null
                ? $"{b}.HasIndex({columns})"
                : $"{b}.HasIndex(new[] {{ {columns} }}, {CSharp.String(index.Name)})");
            var calls = new List<string>();
            if (index.IsUnique)
            {
                calls.Add(".IsUnique()");
            }

            if (index.IsDescending is { } descending)
            {
                calls.Add($".IsDescending({string.Join(", ", descending.Select(d => CSharp.Literal(d)))})");
            }

            calls.Add($".HasDatabaseName({CSharp.String(index.GetDatabaseName()!)})");
            if (index.GetFilter() is { } filter)
            {
                calls.Add($".HasFilter({CSharp.String(filter)})");
            }

            calls.AddRange(ProviderAnnotations(index).Select(Annotation));
            using (code.Indent())
            {
                Calls(code, calls);
            }
        }

        code.Line();
        var schema = entityType.GetSchema();
        var table = CSharp.String(entityType.GetTableName()!);
        code.Line(schema is null ? $"{b}.ToTable({table});" : $"{b}.ToTable({table}, {CSharp.String(schema)});");
        foreach (var annotation in ProviderAnnotations(entityType))
        {
            code.Line($"{b}{Annotation(annotation)};");
        }
    }

    private static void WriteProperty(CodeWriter code, IProperty property, string b)
    {
        var converter = property.GetValueConverter() ?? property.FindTypeMapping()?.Converter;
        var clrType = converter?.ProviderClrType ?? property.ClrType;
        clrType = Nullable.GetUnderlyingType(clrType) ?? clrType;
        if (clrType.IsValueType && property.IsNullable)
        {
            clrType = typeof(Nullable<>).MakeGenericType(clrType);
        }

        code.Line($"{b}.Property<{CSharp.Type(clrType)}>({CSharp.String(property.Name)})");
        var calls = new List<string>();
        if (property.IsConcurrencyToken)
        {
            calls.Add(".IsConcurrencyToken()");
        }

        if (!property.IsNullable && !clrType.IsValueType)
        {
            calls.Add(".IsRequired()");
        }

        switch (property.ValueGenerated)
        {
            case ValueGenerated.OnAdd:
                calls.Add(".ValueGeneratedOnAdd()");
                break;
            case ValueGenerated.OnUpdate:
                calls.Add(".ValueGeneratedOnUpdate()");
                break;
            case ValueGenerated.OnAddOrUpdate:
                calls.Add(".ValueGeneratedOnAddOrUpdate()");
                break;
            case ValueGenerated.OnUpdateSometimes:
                throw Unsupported($"ValueGenerated.OnUpdateSometimes ({property.DeclaringType.DisplayName()}.{property.Name})");
        }

        if (property.GetMaxLength() is { } maxLength)
        {
            calls.Add($".HasMaxLength({CSharp.Literal(maxLength)})");
        }

        if (property.IsUnicode() is { } unicode)
        {
            calls.Add($".IsUnicode({CSharp.Literal(unicode)})");
        }

        if (property.IsFixedLength() is { } fixedLength)
        {
            calls.Add($".IsFixedLength({CSharp.Literal(fixedLength)})");
        }

        if (property.GetPrecision() is { } precision)
        {
            calls.Add(property.GetScale() is { } scale
                ? $".HasPrecision({CSharp.Literal(precision)}, {CSharp.Literal(scale)})"
                : $".HasPrecision({CSharp.Literal(precision)})");
        }

        calls.Add($".HasColumnType({CSharp.String(property.GetColumnType())})");
        var columnName = property.GetColumnName();
        if (columnName != property.Name)
        {
            calls.Add($".HasColumnName({CSharp.String(columnName)})");
        }

        if (property.TryGetDefaultValue(out var defaultValue))
        {
            var providerValue = converter is not null && defaultValue is not null ? converter.ConvertToProvider(defaultValue) : defaultValue;
            calls.Add($".HasDefaultValue({CSharp.Literal(providerValue)})");
        }

        if (property.GetDefaultValueSql() is { } defaultValueSql)
        {
            calls.Add($".HasDefaultValueSql({CSharp.String(defaultValueSql)})");
        }

        if (property.GetComputedColumnSql() is { } computed)
        {
            calls.Add(property.GetIsStored() is { } stored
                ? $".HasComputedColumnSql({CSharp.String(computed)}, {CSharp.Literal(stored)})"
                : $".HasComputedColumnSql({CSharp.String(computed)})");
        }

        if (property.GetComment() is { } comment)
        {
            calls.Add($".HasComment({CSharp.String(comment)})");
        }

        if (property.GetCollation() is { } collation)
        {
            calls.Add($".UseCollation({CSharp.String(collation)})");
        }

        calls.AddRange(ProviderAnnotations(property).Select(Annotation));
        using (code.Indent())
        {
            Calls(code, calls);
        }
    }

    private static void WriteRelationships(CodeWriter code, IEntityType entityType, string b, int depth)
    {
        var first = true;
        foreach (var navigation in OwnedNavigations(entityType))
        {
            if (!first)
            {
                code.Line();
            }

            first = false;
            var owned = navigation.TargetEntityType;
            var b1 = "b" + depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var method = navigation.IsCollection ? "OwnsMany" : "OwnsOne";
            code.Line($"{b}.{method}({CSharp.String(owned.ClrType.FullName!.Replace('+', '.'))}, {CSharp.String(navigation.Name)}, {b1} =>");
            using (code.Block("{", "});"))
            {
                WriteEntityBody(code, owned, b1);
                code.Line();
                var ownership = navigation.ForeignKey;
                code.Line($"{b1}.WithOwner({(ownership.DependentToPrincipal is { } inverse ? CSharp.String(inverse.Name) : "")})");
                using (code.Indent())
                {
                    var calls = new List<string> { $".HasForeignKey({CSharp.Strings(ownership.Properties.Select(p => p.Name))})" };
                    if (!ownership.PrincipalKey.IsPrimaryKey())
                    {
                        calls.Add($".HasPrincipalKey({CSharp.Strings(ownership.PrincipalKey.Properties.Select(p => p.Name))})");
                    }

                    Calls(code, calls);
                }

                if (OwnedNavigations(owned).Any() || RelationshipForeignKeys(owned).Any())
                {
                    code.Line();
                    WriteRelationships(code, owned, b1, depth + 1);
                }
            }

            if (navigation.ForeignKey.IsRequiredDependent)
            {
                code.Line();
                code.Line($"{b}.Navigation({CSharp.String(navigation.Name)})");
                using (code.Indent())
                {
                    code.Line(".IsRequired();");
                }
            }
        }

        foreach (var foreignKey in RelationshipForeignKeys(entityType))
        {
            if (!first)
            {
                code.Line();
            }

            first = false;
            var principal = foreignKey.PrincipalEntityType;
            var toPrincipal = foreignKey.DependentToPrincipal is { } nav ? CSharp.String(nav.Name) : "null";
            var toDependent = foreignKey.PrincipalToDependent is { } inverse ? CSharp.String(inverse.Name) : "";
            var columns = CSharp.Strings(foreignKey.Properties.Select(p => p.Name));
            var principalColumns = CSharp.Strings(foreignKey.PrincipalKey.Properties.Select(p => p.Name));
            code.Line($"{b}.HasOne({CSharp.String(principal.Name)}, {toPrincipal})");
            var calls = new List<string>();
            if (foreignKey.IsUnique)
            {
                calls.Add($".WithOne({toDependent})");
                calls.Add($".HasForeignKey({CSharp.String(entityType.Name)}, {columns})");
                if (!foreignKey.PrincipalKey.IsPrimaryKey())
                {
                    calls.Add($".HasPrincipalKey({CSharp.String(principal.Name)}, {principalColumns})");
                }
            }
            else
            {
                calls.Add($".WithMany({toDependent})");
                calls.Add($".HasForeignKey({columns})");
                if (!foreignKey.PrincipalKey.IsPrimaryKey())
                {
                    calls.Add($".HasPrincipalKey({principalColumns})");
                }
            }

            calls.Add($".OnDelete({CSharp.Literal(foreignKey.DeleteBehavior)})");
            if (foreignKey.IsRequired)
            {
                calls.Add(".IsRequired()");
            }

            if (foreignKey.GetConstraintName() is { } constraintName)
            {
                calls.Add($".HasConstraintName({CSharp.String(constraintName)})");
            }

            calls.AddRange(ProviderAnnotations(foreignKey).Select(Annotation));
            using (code.Indent())
            {
                Calls(code, calls);
            }
        }
    }

    private static IEnumerable<INavigation> OwnedNavigations(IEntityType entityType) =>
        entityType.GetDeclaredNavigations()
            .Where(n => !n.IsOnDependent && n.ForeignKey.IsOwnership)
            .OrderBy(n => n.Name, StringComparer.Ordinal);

    private static IEnumerable<IForeignKey> RelationshipForeignKeys(IEntityType entityType) =>
        entityType.GetDeclaredForeignKeys()
            .Where(fk => !fk.IsOwnership)
            .OrderBy(fk => fk.GetConstraintName(), StringComparer.Ordinal);

    private static void Calls(CodeWriter code, IReadOnlyList<string> calls)
    {
        if (calls.Count == 0)
        {
            throw new InvalidOperationException("A statement needs at least one call to end it.");
        }

        for (var i = 0; i < calls.Count; i++)
        {
            code.Line(calls[i] + (i == calls.Count - 1 ? ";" : ""));
        }
    }

    private static IEnumerable<IAnnotation> ProviderAnnotations(IReadOnlyAnnotatable annotatable) =>
        annotatable.GetAnnotations()
            .Where(a => ProviderPrefixes.Any(p => a.Name.StartsWith(p, StringComparison.Ordinal)) && !Handled.Contains(a.Name))
            .OrderBy(a => a.Name, StringComparer.Ordinal);

    private static string Annotation(IAnnotation annotation) =>
        $".HasAnnotation({CSharp.String(annotation.Name)}, {CSharp.Literal(annotation.Value)})";

    private static NotSupportedException Unsupported(string what) =>
        new($"The migration writer does not support {what} yet. Extend tools/OrderHub.MigrationWriter/SnapshotWriter.cs.");
}
