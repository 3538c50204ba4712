using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace OrderHub.Api.Persistence;

/// <summary>
/// Inserts new rows of one entity type with one plain multi-row <c>INSERT … VALUES (…), (…)</c>, built from EF's
/// model (table, columns, each column's type mapping and value conversion), so it stays right for every provider
/// and for columns added later. It skips EF's change tracking and SaveChanges interceptors: meant for the intake's
/// raw rows, which need none of them (the caller wakes whoever reads the rows). Types it cannot write this way
/// (shadow, owned or store-generated columns) are reported by <see cref="For"/> as null: save those with EF.
/// </summary>
internal sealed class MultiRowInsert
{
    /// <summary>SQL Server takes at most 2,100 parameters a command; stay below it everywhere.</summary>
    private const int MaxParameters = 2000;

    private static readonly ConcurrentDictionary<(Type Context, Type Entity), MultiRowInsert?> Cache = new();

    private readonly string _head;
    private readonly IProperty[] _properties;
    private readonly RelationalTypeMapping[] _mappings;
    private readonly string[] _parameterNames;
    private readonly ConcurrentDictionary<int, string> _sqlByRows = new();

    private MultiRowInsert(string head, IProperty[] properties, RelationalTypeMapping[] mappings, string[] parameterNames)
    {
        _head = head;
        _properties = properties;
        _mappings = mappings;
        _parameterNames = parameterNames;
    }

    /// <summary>The most rows one statement holds.</summary>
    public int RowsPerStatement => Math.Max(1, MaxParameters / _properties.Length);

    /// <summary>The insert for <paramref name="entity"/> rows in <paramref name="db"/>'s model, or null when EF must save them.</summary>
    public static MultiRowInsert? For(DbContext db, Type entity) =>
        Cache.GetOrAdd((db.GetType(), entity), static (key, db) => Build(db, key.Entity), db);

    /// <summary>Inserts <paramref name="rows"/> (all of this insert's type) on <paramref name="connection"/>, in <paramref name="transaction"/> if any.</summary>
    public async Task InsertAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<object> rows, int start, int count)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _sqlByRows.GetOrAdd(count, Sql);
        for (var row = 0; row < count; row++)
        {
            AddParameters(command, rows[start + row], row);
        }

        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> one statement each, on one command prepared once (SQLite: in-process, a row
    /// costs microseconds, while binding a statement of a thousand named parameters costs time that grows with the
    /// square of their number). Run it in a transaction for one commit.
    /// </summary>
    public async Task InsertEachAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<object> rows)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _sqlByRows.GetOrAdd(1, Sql);
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            AddParameters(command, row, 0);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private void AddParameters(DbCommand command, object entity, int row)
    {
        var columns = _properties.Length;
        for (var column = 0; column < columns; column++)
        {
            var property = _properties[column];
            var value = property.GetGetter().GetClrValueUsingContainingEntity(entity);
            command.Parameters.Add(_mappings[column].CreateParameter(command, _parameterNames[(row * columns) + column], value, property.IsNullable));
        }
    }

    private string Sql(int rows)
    {
        var sql = new StringBuilder(_head.Length + (rows * _properties.Length * 8));
        sql.Append(_head);
        var columns = _properties.Length;
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "\n(" : ",\n(");
            for (var column = 0; column < columns; column++)
            {
                sql.Append(column == 0 ? "" : ", ").Append(_parameterNames[(row * columns) + column]);
            }

            sql.Append(')');
        }

        return sql.Append(';').ToString();
    }

    private static MultiRowInsert? Build(DbContext db, Type clrType)
    {
        var entityType = db.Model.FindEntityType(clrType);
        if (entityType is null || entityType.GetTableName() is not { } table || entityType.BaseType is not null
            || entityType.GetDerivedTypes().Any() || entityType.GetNavigations().Any(n => n.TargetEntityType.IsOwned())
            || entityType.GetComplexProperties().Any())
        {
            return null;
        }

        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var properties = entityType.GetProperties().ToArray();
        if (properties.Any(p => p.IsShadowProperty() || p.PropertyInfo is null && p.FieldInfo is null
                                || p.GetColumnName(store) is null || p.GetComputedColumnSql(store) is not null
                                || p.ValueGenerated != ValueGenerated.Never && !(p.IsPrimaryKey() && p.ClrType == typeof(Guid)))
            || properties.Select(p => p.FindRelationalTypeMapping(store)).Any(m => m is null))
        {
            // A column the database fills in or EF computes: not for a plain insert of the CLR values.
            return null;
        }

        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table, entityType.GetSchema())} ("
                   + string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(store)!))) + ")\nVALUES";
        var names = new string[(MaxParameters / properties.Length) * properties.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = sql.GenerateParameterNamePlaceholder("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new MultiRowInsert(head, properties, [.. properties.Select(p => p.FindRelationalTypeMapping(store)!)], names);
    }
}
