using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace OrderHub.MigrationWriter;

/// <summary>
/// Writes migration operations as <see cref="MigrationBuilder"/> calls. Only the operations OrderHub's model
/// changes need are supported; anything else stops the tool with a clear message rather than being dropped.
/// </summary>
internal static class OperationWriter
{
    public static void Write(CodeWriter code, IReadOnlyList<MigrationOperation> operations)
    {
        for (var i = 0; i < operations.Count; i++)
        {
            if (i > 0)
            {
                code.Line();
            }

            Write(code, operations[i]);
        }
    }

    private static void Write(CodeWriter code, MigrationOperation operation)
    {
        switch (operation)
        {
            case EnsureSchemaOperation op:
                Call(code, "EnsureSchema", [Arg("name", op.Name)], op);
                break;
            case CreateTableOperation op:
                CreateTable(code, op);
                break;
            case DropTableOperation op:
                Call(code, "DropTable", [Arg("name", op.Name), Arg("schema", op.Schema)], op);
                break;
            case RenameTableOperation op:
                Call(code, "RenameTable", [Arg("name", op.Name), Arg("schema", op.Schema), Arg("newName", op.NewName), Arg("newSchema", op.NewSchema)], op);
                break;
            case AddColumnOperation op:
                Call(code, $"AddColumn<{ClrType(op.ClrType)}>", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema), .. ColumnArgs(op)], op);
                break;
            case AlterColumnOperation op:
                Call(
                    code,
                    $"AlterColumn<{ClrType(op.ClrType)}>",
                    [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema), .. ColumnArgs(op), .. OldColumnArgs(op.OldColumn)],
                    op,
                    op.OldColumn);
                break;
            case DropColumnOperation op:
                Call(code, "DropColumn", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema)], op);
                break;
            case RenameColumnOperation op:
                Call(code, "RenameColumn", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema), Arg("newName", op.NewName)], op);
                break;
            case CreateIndexOperation op:
                Call(
                    code,
                    "CreateIndex",
                    [
                        Arg("name", op.Name),
                        Arg("table", op.Table),
                        Arg("schema", op.Schema),
                        op.Columns.Length == 1 ? Arg("column", op.Columns[0]) : Arg("columns", op.Columns),
                        op.IsUnique ? Arg("unique", true) : null,
                        Arg("filter", op.Filter),
                        op.IsDescending is null ? null : Arg("descending", op.IsDescending),
                    ],
                    op);
                break;
            case DropIndexOperation op:
                Call(code, "DropIndex", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema)], op);
                break;
            case RenameIndexOperation op:
                Call(code, "RenameIndex", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema), Arg("newName", op.NewName)], op);
                break;
            case AddForeignKeyOperation op:
                Call(
                    code,
                    "AddForeignKey",
                    [
                        Arg("name", op.Name),
                        Arg("table", op.Table),
                        Arg("schema", op.Schema),
                        op.Columns.Length == 1 ? Arg("column", op.Columns[0]) : Arg("columns", op.Columns),
                        Arg("principalTable", op.PrincipalTable),
                        Arg("principalSchema", op.PrincipalSchema),
                        op.PrincipalColumns is null ? null
                            : op.PrincipalColumns.Length == 1 ? Arg("principalColumn", op.PrincipalColumns[0]) : Arg("principalColumns", op.PrincipalColumns),
                        op.OnUpdate == ReferentialAction.NoAction ? null : Arg("onUpdate", op.OnUpdate),
                        op.OnDelete == ReferentialAction.NoAction ? null : Arg("onDelete", op.OnDelete),
                    ],
                    op);
                break;
            case DropForeignKeyOperation op:
                Call(code, "DropForeignKey", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema)], op);
                break;
            case AddPrimaryKeyOperation op:
                Call(code, "AddPrimaryKey", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema), Columns(op.Columns)], op);
                break;
            case DropPrimaryKeyOperation op:
                Call(code, "DropPrimaryKey", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema)], op);
                break;
            case AddUniqueConstraintOperation op:
                Call(code, "AddUniqueConstraint", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema), Columns(op.Columns)], op);
                break;
            case DropUniqueConstraintOperation op:
                Call(code, "DropUniqueConstraint", [Arg("name", op.Name), Arg("table", op.Table), Arg("schema", op.Schema)], op);
                break;
            case AlterDatabaseOperation op:
                code.Line("migrationBuilder.AlterDatabase()");
                using (code.Indent())
                {
                    var calls = Annotations(op, op.OldDatabase).ToList();
                    if (calls.Count == 0)
                    {
                        code.Line(";");
                    }
                    else
                    {
                        EndWith(code, calls);
                    }
                }

                break;
            default:
                throw new NotSupportedException(
                    $"The migration writer cannot write a {operation.GetType().Name} ({operation}). "
                    + "Extend tools/OrderHub.MigrationWriter/OperationWriter.cs, or write this step by hand.");
        }
    }

    private static void CreateTable(CodeWriter code, CreateTableOperation op)
    {
        if (op.CheckConstraints.Count > 0)
        {
            throw new NotSupportedException($"The migration writer cannot write check constraints (table {op.Name}).");
        }

        var identifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in op.Columns)
        {
            identifiers[column.Name] = CSharp.Identifier(column.Name, taken);
        }

        code.Line("migrationBuilder.CreateTable(");
        using (code.Indent())
        {
            code.Line($"name: {CSharp.String(op.Name)},");
            if (op.Schema is not null)
            {
                code.Line($"schema: {CSharp.String(op.Schema)},");
            }

            if (op.Comment is not null)
            {
                code.Line($"comment: {CSharp.String(op.Comment)},");
            }

            code.Line("columns: table => new");
            using (code.Block("{", "},"))
            {
                foreach (var column in op.Columns)
                {
                    var identifier = identifiers[column.Name];
                    var args = new List<string?>();
                    args.Add(identifier == column.Name ? null : Arg("name", column.Name));
                    args.AddRange(ColumnArgs(column));
                    var annotations = Annotations(column, null).ToList();
                    var text = $"{identifier} = table.Column<{ClrType(column.ClrType)}>({string.Join(", ", args.Where(a => a is not null))})";
                    if (annotations.Count == 0)
                    {
                        code.Line(text + ",");
                    }
                    else
                    {
                        code.Line(text);
                        using (code.Indent())
                        {
                            for (var i = 0; i < annotations.Count; i++)
                            {
                                code.Line(annotations[i] + (i == annotations.Count - 1 ? "," : ""));
                            }
                        }
                    }
                }
            }

            code.Line("constraints: table =>");
            using (code.Block("{", "})" + (op.GetAnnotations().Any() ? "" : ";")))
            {
                if (op.PrimaryKey is { } pk)
                {
                    code.Line($"table.PrimaryKey({CSharp.String(pk.Name)}, {Lambda(pk.Columns, identifiers)}){ChainedAnnotations(pk)};");
                }

                foreach (var unique in op.UniqueConstraints)
                {
                    code.Line($"table.UniqueConstraint({CSharp.String(unique.Name)}, {Lambda(unique.Columns, identifiers)}){ChainedAnnotations(unique)};");
                }

                foreach (var fk in op.ForeignKeys)
                {
                    code.Line("table.ForeignKey(");
                    using (code.Indent())
                    {
                        var args = new List<string?>
                        {
                            Arg("name", fk.Name),
                            $"column: {Lambda(fk.Columns, identifiers)}",
                            Arg("principalTable", fk.PrincipalTable),
                            Arg("principalSchema", fk.PrincipalSchema),
                            fk.PrincipalColumns is null ? null
                                : fk.PrincipalColumns.Length == 1 ? Arg("principalColumn", fk.PrincipalColumns[0]) : Arg("principalColumns", fk.PrincipalColumns),
                            fk.OnUpdate == ReferentialAction.NoAction ? null : Arg("onUpdate", fk.OnUpdate),
                            fk.OnDelete == ReferentialAction.NoAction ? null : Arg("onDelete", fk.OnDelete),
                        };
                        var present = args.OfType<string>().ToList();
                        for (var i = 0; i < present.Count; i++)
                        {
                            code.Line(present[i] + (i == present.Count - 1 ? $"){ChainedAnnotations(fk)};" : ","));
                        }
                    }
                }
            }

            var tableAnnotations = Annotations(op, null).ToList();
            if (tableAnnotations.Count > 0)
            {
                EndWith(code, tableAnnotations);
            }
        }
    }

    private static string Lambda(string[] columns, Dictionary<string, string> identifiers) =>
        columns.Length == 1
            ? $"x => x.{identifiers[columns[0]]}"
            : "x => new { " + string.Join(", ", columns.Select(c => "x." + identifiers[c])) + " }";

    private static IEnumerable<string?> ColumnArgs(ColumnOperation column)
    {
        yield return Arg("type", column.ColumnType);
        yield return column.IsUnicode is null ? null : Arg("unicode", column.IsUnicode);
        yield return column.IsFixedLength is null ? null : Arg("fixedLength", column.IsFixedLength);
        yield return column.MaxLength is null ? null : Arg("maxLength", column.MaxLength);
        yield return column.Precision is null ? null : Arg("precision", column.Precision);
        yield return column.Scale is null ? null : Arg("scale", column.Scale);
        yield return column.IsRowVersion ? Arg("rowVersion", true) : null;
        yield return Arg("nullable", column.IsNullable);
        yield return column.DefaultValue is null ? null : Arg("defaultValue", column.DefaultValue);
        yield return Arg("defaultValueSql", column.DefaultValueSql);
        yield return Arg("computedColumnSql", column.ComputedColumnSql);
        yield return column.IsStored is null ? null : Arg("stored", column.IsStored);
        yield return Arg("comment", column.Comment);
        yield return Arg("collation", column.Collation);
    }

    private static IEnumerable<string?> OldColumnArgs(ColumnOperation old)
    {
        yield return $"oldClrType: typeof({ClrType(old.ClrType)})";
        yield return Arg("oldType", old.ColumnType);
        yield return old.IsUnicode is null ? null : Arg("oldUnicode", old.IsUnicode);
        yield return old.IsFixedLength is null ? null : Arg("oldFixedLength", old.IsFixedLength);
        yield return old.MaxLength is null ? null : Arg("oldMaxLength", old.MaxLength);
        yield return old.Precision is null ? null : Arg("oldPrecision", old.Precision);
        yield return old.Scale is null ? null : Arg("oldScale", old.Scale);
        yield return old.IsRowVersion ? Arg("oldRowVersion", true) : null;
        yield return Arg("oldNullable", old.IsNullable);
        yield return old.DefaultValue is null ? null : Arg("oldDefaultValue", old.DefaultValue);
        yield return Arg("oldDefaultValueSql", old.DefaultValueSql);
        yield return Arg("oldComputedColumnSql", old.ComputedColumnSql);
        yield return old.IsStored is null ? null : Arg("oldStored", old.IsStored);
        yield return Arg("oldComment", old.Comment);
        yield return Arg("oldCollation", old.Collation);
    }

    private static string? Columns(string[] columns) =>
        columns.Length == 1 ? Arg("column", columns[0]) : Arg("columns", columns);

    private static string? Arg(string name, object? value) =>
        value is null ? null : $"{name}: {CSharp.Literal(value)}";

    private static string ClrType(Type type) => CSharp.Type(Nullable.GetUnderlyingType(type) ?? type);

    private static void Call(CodeWriter code, string method, IReadOnlyList<string?> args, IReadOnlyAnnotatable operation, IReadOnlyAnnotatable? old = null)
    {
        var present = args.OfType<string>().ToList();
        var annotations = Annotations(operation, old).ToList();
        code.Line($"migrationBuilder.{method}(");
        using (code.Indent())
        {
            for (var i = 0; i < present.Count; i++)
            {
                var last = i == present.Count - 1;
                code.Line(present[i] + (!last ? "," : annotations.Count == 0 ? ");" : ")"));
            }

            if (annotations.Count > 0)
            {
                EndWith(code, annotations);
            }
        }
    }

    private static void EndWith(CodeWriter code, IReadOnlyList<string> calls)
    {
        for (var i = 0; i < calls.Count; i++)
        {
            code.Line(calls[i] + (i == calls.Count - 1 ? ";" : ""));
        }
    }

    private static string ChainedAnnotations(IReadOnlyAnnotatable operation) => string.Concat(Annotations(operation, null));

    private static IEnumerable<string> Annotations(IReadOnlyAnnotatable operation, IReadOnlyAnnotatable? old)
    {
        foreach (var annotation in operation.GetAnnotations().OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            yield return $".Annotation({CSharp.String(annotation.Name)}, {CSharp.Literal(annotation.Value)})";
        }

        foreach (var annotation in (old?.GetAnnotations() ?? []).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            yield return $".OldAnnotation({CSharp.String(annotation.Name)}, {CSharp.Literal(annotation.Value)})";
        }
    }
}
