#pragma warning disable EF1001 // CommandBatchPreparer is EF's own internal service: this one hands it every save it does not take itself.
using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Update;
using Microsoft.EntityFrameworkCore.Update.Internal;

namespace OrderHub.Api.Persistence;

/// <summary>
/// Writes without EF's general update pipeline, on SQLite and PostgreSQL. For each save EF builds one modification
/// command per row (a column modification per column), sorts them topologically and generates each statement's SQL
/// anew; on SQLite that was about a third of the process's CPU in a busy run, most of it for the inbox round's
/// thousand rows. This preparer takes the saves made only of inserts and plain updates: it orders the tables by their
/// foreign keys once per model and keeps one SQL text per table and column set. On SQLite each table's rows run on one
/// command, so SQLite parses each statement once per save instead of once per row; the statements and their parameters
/// are built before the save's transaction begins (<see cref="PreparedBatchExecutor"/>), so the write gate is held
/// only to run them. On PostgreSQL every row of the save goes in one batch of statements (one round trip). Anything
/// else (a delete, a key a row changes, a unique column changed, inheritance, JSON or complex columns, values the
/// database computes on update) goes to EF's own preparer unchanged, and so does every save on SQL Server (not
/// verified there: no server runs here).
/// </summary>
public sealed class RowCommandBatchPreparer(CommandBatchPreparerDependencies dependencies, ICurrentDbContext current, ISqlGenerationHelper sql)
    : CommandBatchPreparer(dependencies)
{
    public override IEnumerable<ModificationCommandBatch> BatchCommands(IList<IUpdateEntry> entries, IUpdateAdapter updateAdapter)
    {
        var plan = RowPlan.For(current.Context.Model, sql);
        return plan?.TryBatch(entries, current.Context.Database.GetDbConnection()) is { } batches
            ? batches
            : base.BatchCommands(entries, updateAdapter);
    }
}

/// <summary>What the preparer knows of a model: each table's order among the inserts and its statements by column set.</summary>
internal sealed class RowPlan
{
    private readonly ISqlGenerationHelper _sql;
    private readonly Dictionary<IEntityType, TableShape> _tables;

    /// <summary>
    /// <c>@p0</c>, <c>@p1</c>, …, enough for the widest statement: each is both the placeholder in the SQL and the
    /// parameter's name, so the driver finds a parameter at its first lookup (Microsoft.Data.Sqlite looks a bare
    /// <c>p0</c> up as is and then with ':', '@' and '$', each lookup a scan of the statement's names).
    /// </summary>
    private readonly string[] _parameters;

    private RowPlan(ISqlGenerationHelper sql, Dictionary<IEntityType, TableShape> tables)
    {
        _sql = sql;
        _tables = tables;
        // An insert writes at most its own and its owned types' columns; an update sets at most every column and
        // compares the key and the tokens.
        var widest = tables.Values.Select(t => (2 * t.Properties.Length) + t.Owned.Sum(o => o.Properties.Length)).DefaultIfEmpty(0).Max();
        _parameters = [.. Enumerable.Range(0, widest).Select(i => sql.GenerateParameterNamePlaceholder("p" + i.ToString(CultureInfo.InvariantCulture)))];
    }

    /// <summary>The plan of <paramref name="model"/>, built once; null when its foreign keys between tables form a cycle.</summary>
    public static RowPlan? For(IModel model, ISqlGenerationHelper sql) =>
        model.GetOrAddRuntimeAnnotationValue("OrderHub:RowPlan", static a => Build(a.Model, a.Sql), (Model: model, Sql: sql));

    /// <summary>Whether rows of <paramref name="type"/> are written by the preparer (when the rest of the save is too).</summary>
    public bool Covers(IEntityType type) => _tables.ContainsKey(type);

    /// <summary>The batches for <paramref name="entries"/>, in order, or null when EF must save them.</summary>
    public List<ModificationCommandBatch>? TryBatch(IList<IUpdateEntry> entries, DbConnection connection)
    {
        // Owned rows stored in their owner's row, by the owner's key: written with it.
        Dictionary<(IEntityType Owner, object Key), List<IUpdateEntry>>? sharing = null;
        var rows = new List<IUpdateEntry>(entries.Count);
        foreach (var entry in entries)
        {
            if (!_tables.TryGetValue(entry.EntityType, out var table) || entry.SharedIdentityEntry is not null)
            {
                return null;
            }

            if (table.Owner is { } owner)
            {
                if (entry.EntityState != EntityState.Added)
                {
                    return null;
                }

                sharing ??= [];
                var key = (owner.Type, entry.GetCurrentValue(table.Key[0])!);
                if (!sharing.TryGetValue(key, out var list))
                {
                    sharing[key] = list = [];
                }

                list.Add(entry);
                continue;
            }

            if (entry.EntityState is not (EntityState.Added or EntityState.Modified))
            {
                return null;
            }

            rows.Add(entry);
        }

        var usedShared = 0;
        var inserts = new SortedDictionary<int, List<(IUpdateEntry Row, List<IUpdateEntry>? Owned)>>();
        var updates = new List<IUpdateEntry>();
        foreach (var row in rows)
        {
            var table = _tables[row.EntityType];
            if (row.EntityState == EntityState.Modified)
            {
                if (!table.CanUpdate(row))
                {
                    return null;
                }

                updates.Add(row);
                continue;
            }

            List<IUpdateEntry>? owned = null;
            if (sharing is not null && table.Owned.Length > 0 && sharing.TryGetValue((row.EntityType, row.GetCurrentValue(table.Key[0])!), out owned))
            {
                usedShared += owned.Count;
            }

            if (!inserts.TryGetValue(table.InsertOrder, out var list))
            {
                inserts[table.InsertOrder] = list = [];
            }

            list.Add((row, owned));
        }

        // An owned row whose owner is not inserted with it (changed later, on its own): EF's.
        if (sharing is not null && usedShared != sharing.Values.Sum(l => l.Count))
        {
            return null;
        }

        var groups = new List<RowGroup>();
        using var scratch = connection.CreateCommand();
        foreach (var (_, list) in inserts)
        {
            var table = _tables[list[0].Row.EntityType];
            foreach (var group in list.GroupBy(r => table.InsertShape(r.Row, r.Owned)))
            {
                groups.Add(table.InsertGroup(_sql, _parameters, group.Key, [.. group], scratch));
            }
        }

        foreach (var group in updates.GroupBy(r => (r.EntityType, Shape: _tables[r.EntityType].UpdateShape(r))))
        {
            groups.Add(_tables[group.Key.EntityType].UpdateGroup(_sql, _parameters, group.Key.Shape, [.. group], scratch));
        }

        return groups.Count == 0 ? [] : [new RowBatch(groups)];
    }

    private static RowPlan? Build(IModel model, ISqlGenerationHelper sql)
    {
        var tables = new Dictionary<IEntityType, TableShape>();
        foreach (var type in model.GetEntityTypes())
        {
            if (TableShape.Create(type) is { } shape)
            {
                tables[type] = shape;
            }
        }

        // Principals before dependents; a type whose rows refer to rows of its own type, or a cycle, is EF's.
        var order = new Dictionary<IEntityType, int>();
        var visiting = new HashSet<IEntityType>();
        var selfReferencing = new HashSet<IEntityType>();
        bool Visit(IEntityType type)
        {
            if (order.ContainsKey(type))
            {
                return true;
            }

            if (!visiting.Add(type))
            {
                return false;
            }

            foreach (var fk in type.GetForeignKeys())
            {
                var principal = fk.PrincipalEntityType;
                if (principal == type)
                {
                    selfReferencing.Add(type);
                }
                else if (tables.ContainsKey(principal) && !Visit(principal))
                {
                    return false;
                }
            }

            visiting.Remove(type);
            order[type] = order.Count;
            return true;
        }

        foreach (var type in tables.Keys.ToList())
        {
            if (!Visit(type))
            {
                return null;
            }
        }

        foreach (var type in selfReferencing)
        {
            tables.Remove(type);
        }

        foreach (var (type, shape) in tables)
        {
            shape.InsertOrder = order.GetValueOrDefault(type);
        }

        // An owner gets its owned types' columns; an owner whose owned type cannot be written this way is EF's.
        foreach (var (type, shape) in tables.Where(t => t.Value.Owner is null).ToList())
        {
            var owned = type.GetNavigations().Where(n => n.TargetEntityType.IsOwned() && !n.IsOnDependent).Select(n => n.TargetEntityType).ToList();
            if (owned.Any(o => !tables.TryGetValue(o, out var o2) || o2.Owner?.Type != type))
            {
                tables.Remove(type);
                continue;
            }

            shape.Owned = [.. owned.Select(o => tables[o])];
        }

        return new RowPlan(sql, tables);
    }
}

/// <summary>One entity type's table: its columns, key and concurrency tokens, and its statements by column set.</summary>
internal sealed class TableShape
{
    private readonly ConcurrentDictionary<string, string> _sqlByShape = new();

    private TableShape(IEntityType type, string table, string? schema, IProperty[] properties, string[] columns, RelationalTypeMapping[] mappings, TableShape? ownerShape)
    {
        Type = type;
        TableName = table;
        Schema = schema;
        Properties = properties;
        Columns = columns;
        Mappings = mappings;
        Key = [.. type.FindPrimaryKey()!.Properties];
        Tokens = [.. properties.Where(p => p.IsConcurrencyToken)];
        Unique = [.. properties.Select(p => p.IsKey() || p.GetContainingIndexes().Any(i => i.IsUnique))];
        Owner = ownerShape;
    }

    public IEntityType Type { get; }

    public string TableName { get; }

    public string? Schema { get; }

    public IProperty[] Properties { get; }

    public string[] Columns { get; }

    public RelationalTypeMapping[] Mappings { get; }

    public IProperty[] Key { get; }

    public IProperty[] Tokens { get; }

    /// <summary>Per property: part of a key or a unique index (changing it is EF's: it orders such updates).</summary>
    public bool[] Unique { get; }

    /// <summary>For an owned type stored in its owner's row: the owner.</summary>
    public TableShape? Owner { get; }

    public TableShape[] Owned { get; set; } = [];

    public int InsertOrder { get; set; }

    public static TableShape? Create(IEntityType type)
    {
        if (type.GetTableName() is not { } table || type.BaseType is not null || type.GetDerivedTypes().Any() || type.IsMappedToJson()
            || type.GetComplexProperties().Any() || type.FindPrimaryKey() is null || type.GetNavigations().Any(n => n.TargetEntityType.IsMappedToJson()))
        {
            return null;
        }

        var store = StoreObjectIdentifier.Table(table, type.GetSchema());
        var properties = type.GetProperties().ToArray();
        if (properties.Any(p => p.GetColumnName(store) is null || p.GetComputedColumnSql(store) is not null || (p.ValueGenerated & ValueGenerated.OnUpdate) != 0
                                || p.FindRelationalTypeMapping(store) is null))
        {
            return null;
        }

        TableShape? owner = null;
        if (type.IsOwned())
        {
            // Only an owned type in its owner's row, one to one, keyed by the owner's single key, every column nullable.
            var ownership = type.FindOwnership()!;
            if (ownership.PrincipalEntityType.GetTableName() != table || ownership.PrincipalEntityType.GetSchema() != type.GetSchema()
                || !ownership.IsUnique || type.FindPrimaryKey()!.Properties.Count != 1
                || properties.Where(p => !p.IsPrimaryKey()).Any(p => !p.IsColumnNullable(store) || p.GetDefaultValueSql(store) is not null || p.GetDefaultValue(store) is not null))
            {
                return null;
            }

            owner = new TableShape(ownership.PrincipalEntityType, table, type.GetSchema(), [], [], [], null);
        }

        return new TableShape(type, table, type.GetSchema(), properties, [.. properties.Select(p => p.GetColumnName(store)!)],
            [.. properties.Select(p => p.FindRelationalTypeMapping(store)!)], owner);
    }

    /// <summary>Whether this table's changed row is a plain update: no key or unique column changed.</summary>
    public bool CanUpdate(IUpdateEntry row)
    {
        for (var i = 0; i < Properties.Length; i++)
        {
            if (Unique[i] && row.IsModified(Properties[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Which columns an insert writes (the rest the database fills in and the row reads back) and which owned rows
    /// come with it: one character each, so rows of one shape share one statement.
    /// </summary>
    public string InsertShape(IUpdateEntry row, List<IUpdateEntry>? owned)
    {
        var shape = new StringBuilder(Properties.Length + Owned.Length);
        foreach (var property in Properties)
        {
            shape.Append(row.IsStoreGenerated(property) ? 'g' : 'w');
        }

        foreach (var ownedShape in Owned)
        {
            shape.Append(owned?.Any(o => o.EntityType == ownedShape.Type) == true ? 'o' : '-');
        }

        return shape.ToString();
    }

    /// <summary>Which columns an update writes and which concurrency tokens it finds null.</summary>
    public string UpdateShape(IUpdateEntry row)
    {
        var shape = new StringBuilder(Properties.Length + Tokens.Length);
        foreach (var property in Properties)
        {
            shape.Append(row.IsModified(property) ? 'm' : '-');
        }

        foreach (var token in Tokens)
        {
            shape.Append(row.GetOriginalValue(token) is null ? 'n' : 'v');
        }

        return shape.ToString();
    }

    public RowGroup InsertGroup(ISqlGenerationHelper sql, string[] parameterNames, string shape, List<(IUpdateEntry Row, List<IUpdateEntry>? Owned)> rows, DbCommand scratch)
    {
        // The columns in statement order: this type's written ones, then each owned type's (but its key, the owner's).
        var written = new List<(int Shape, TableShape Table, int Property)>();
        var generated = new List<IProperty>();
        for (var i = 0; i < Properties.Length; i++)
        {
            if (shape[i] == 'w')
            {
                written.Add((-1, this, i));
            }
            else
            {
                generated.Add(Properties[i]);
            }
        }

        for (var o = 0; o < Owned.Length; o++)
        {
            var ownedShape = Owned[o];
            for (var i = 0; i < ownedShape.Properties.Length; i++)
            {
                if (!ownedShape.Properties[i].IsPrimaryKey())
                {
                    written.Add((o, ownedShape, i));
                }
            }
        }

        var text = _sqlByShape.GetOrAdd("i" + shape, _ =>
        {
            var names = written.Select(w => sql.DelimitIdentifier(w.Table.Columns[w.Property]));
            var values = parameterNames.Take(written.Count);
            var returning = generated.Count == 0 ? "" : "\nRETURNING " + string.Join(", ", generated.Select(g => sql.DelimitIdentifier(Columns[Array.IndexOf(Properties, g)])));
            return $"INSERT INTO {sql.DelimitIdentifier(TableName, Schema)} ({string.Join(", ", names)})\nVALUES ({string.Join(", ", values)}){returning};";
        });

        var parameters = new DbParameter[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            var (row, owned) = rows[r];
            var values = new DbParameter[written.Count];
            for (var c = 0; c < written.Count; c++)
            {
                var (ownedIndex, table, index) = written[c];
                var property = table.Properties[index];
                var source = ownedIndex < 0 ? row : owned?.FirstOrDefault(e => e.EntityType == table.Type);
                var value = source?.GetCurrentValue(property);
                values[c] = table.Mappings[index].CreateParameter(scratch, parameterNames[c], value, property.IsNullable || source is null);
            }

            parameters[r] = values;
        }

        var entries = rows.SelectMany(r => r.Owned is null ? [r.Row] : r.Owned.Prepend(r.Row)).ToList();
        return new RowGroup(text, [.. rows.Select(r => r.Row)], parameters, [.. generated], [.. generated.Select(g => Mappings[Array.IndexOf(Properties, g)])], ChecksRows: false, entries);
    }

    public RowGroup UpdateGroup(ISqlGenerationHelper sql, string[] parameterNames, string shape, List<IUpdateEntry> rows, DbCommand scratch)
    {
        var set = Enumerable.Range(0, Properties.Length).Where(i => shape[i] == 'm').ToList();
        var tokens = Enumerable.Range(0, Tokens.Length).Where(t => shape[Properties.Length + t] == 'v').Select(t => Tokens[t]).ToList();
        var nullTokens = Enumerable.Range(0, Tokens.Length).Where(t => shape[Properties.Length + t] == 'n').Select(t => Tokens[t]).ToList();
        var where = Key.Concat(tokens.Where(t => !t.IsPrimaryKey())).ToList();
        var text = _sqlByShape.GetOrAdd("u" + shape, _ =>
        {
            var p = 0;
            var assignments = set.Select(i => $"{sql.DelimitIdentifier(Columns[i])} = {parameterNames[p++]}").ToList();
            var conditions = where.Select(k => $"{sql.DelimitIdentifier(Columns[Array.IndexOf(Properties, k)])} = {parameterNames[p++]}")
                .Concat(nullTokens.Select(t => $"{sql.DelimitIdentifier(Columns[Array.IndexOf(Properties, t)])} IS NULL"));
            return $"UPDATE {sql.DelimitIdentifier(TableName, Schema)} SET {string.Join(", ", assignments)}\nWHERE {string.Join(" AND ", conditions)};";
        });

        var parameters = new DbParameter[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var values = new DbParameter[set.Count + where.Count];
            var c = 0;
            foreach (var i in set)
            {
                values[c] = Mappings[i].CreateParameter(scratch, parameterNames[c], row.GetCurrentValue(Properties[i]), Properties[i].IsNullable);
                c++;
            }

            foreach (var k in where)
            {
                var i = Array.IndexOf(Properties, k);
                // A key never changes here; a token is compared with the value read.
                values[c] = Mappings[i].CreateParameter(scratch, parameterNames[c], k.IsPrimaryKey() ? row.GetCurrentValue(k) : row.GetOriginalValue(k), k.IsNullable);
                c++;
            }

            parameters[r] = values;
        }

        return new RowGroup(text, rows, parameters, [], [], ChecksRows: true, rows);
    }
}

/// <summary>One table's rows of one shape: one SQL text and each row's parameters.</summary>
internal sealed record RowGroup(
    string Sql, IReadOnlyList<IUpdateEntry> Rows, DbParameter[][] Parameters, IProperty[] Generated, RelationalTypeMapping[] GeneratedMappings,
    bool ChecksRows, IReadOnlyList<IUpdateEntry> Entries);

/// <summary>
/// A save's row groups, run in order. Where the provider sends a batch of statements in one round trip (PostgreSQL),
/// all of them go in one; elsewhere (SQLite, in process) each group runs its rows on one command, parsed once.
/// </summary>
internal sealed class RowBatch(IReadOnlyList<RowGroup> groups) : ModificationCommandBatch
{
    // EF counts a batch's rows by its commands; nothing else reads them.
    private readonly IReadOnlyModificationCommand[] _commands = new IReadOnlyModificationCommand[groups.Sum(g => g.Rows.Count)];

    public override IReadOnlyList<IReadOnlyModificationCommand> ModificationCommands => _commands;

    public override bool RequiresTransaction => true;

    public override bool AreMoreBatchesExpected => false;

    public override bool TryAddCommand(IReadOnlyModificationCommand modificationCommand) => false;

    public override void Complete(bool moreBatchesExpected)
    {
    }

    public override void Execute(IRelationalConnection connection) => ExecuteAsync(connection, sync: true, CancellationToken.None).GetAwaiter().GetResult();

    public override Task ExecuteAsync(IRelationalConnection connection, CancellationToken cancellationToken = default) =>
        ExecuteAsync(connection, sync: false, cancellationToken);

    private async Task ExecuteAsync(IRelationalConnection connection, bool sync, CancellationToken cancellationToken)
    {
        if (connection.DbConnection.CanCreateBatch)
        {
            await ExecuteBatchAsync(connection, sync, cancellationToken);
            return;
        }

        foreach (var group in groups)
        {
            await ExecuteGroupAsync(connection, group, sync, cancellationToken);
        }
    }

    private static async Task ExecuteGroupAsync(IRelationalConnection connection, RowGroup group, bool sync, CancellationToken cancellationToken)
    {
        using var command = connection.DbConnection.CreateCommand();
        command.Transaction = connection.CurrentTransaction?.GetDbTransaction();
        command.CommandTimeout = connection.CommandTimeout ?? command.CommandTimeout;
        command.CommandText = group.Sql;
        for (var r = 0; r < group.Rows.Count; r++)
        {
            command.Parameters.Clear();
            command.Parameters.AddRange(group.Parameters[r]);
            try
            {
                if (group.Generated.Length > 0)
                {
                    await using var reader = sync ? command.ExecuteReader() : await command.ExecuteReaderAsync(cancellationToken);
                    await ReadGeneratedAsync(reader, group, r, sync, cancellationToken);
                    continue;
                }

                var affected = sync ? command.ExecuteNonQuery() : await command.ExecuteNonQueryAsync(cancellationToken);
                CheckAffected(group, r, affected);
            }
            catch (DbException exception)
            {
                throw new DbUpdateException(UpdateFailed, exception, group.Entries);
            }
        }
    }

    /// <summary>Every row of the save in one batch of statements: one round trip; then the values read back and the rows counted.</summary>
    private async Task ExecuteBatchAsync(IRelationalConnection connection, bool sync, CancellationToken cancellationToken)
    {
        using var batch = connection.DbConnection.CreateBatch();
        batch.Transaction = connection.CurrentTransaction?.GetDbTransaction();
        batch.Timeout = connection.CommandTimeout ?? batch.Timeout;
        foreach (var group in groups)
        {
            foreach (var parameters in group.Parameters)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = group.Sql;
                command.Parameters.AddRange(parameters);
                batch.BatchCommands.Add(command);
            }
        }

        try
        {
            await using (var reader = sync ? batch.ExecuteReader() : await batch.ExecuteReaderAsync(cancellationToken))
            {
                // Only the inserts that read values back return rows, one result each, in order.
                var first = true;
                foreach (var group in groups.Where(g => g.Generated.Length > 0))
                {
                    for (var r = 0; r < group.Rows.Count; r++)
                    {
                        if (!first && !(sync ? reader.NextResult() : await reader.NextResultAsync(cancellationToken)))
                        {
                            throw new DbUpdateConcurrencyException("The insert returned no row.", [group.Rows[r]]);
                        }

                        first = false;
                        await ReadGeneratedAsync(reader, group, r, sync, cancellationToken);
                    }
                }

                while (sync ? reader.NextResult() : await reader.NextResultAsync(cancellationToken))
                {
                }
            }
        }
        catch (DbException exception)
        {
            throw new DbUpdateException(UpdateFailed, exception, [.. groups.SelectMany(g => g.Entries)]);
        }

        var index = 0;
        foreach (var group in groups)
        {
            for (var r = 0; r < group.Rows.Count; r++)
            {
                CheckAffected(group, r, batch.BatchCommands[index++].RecordsAffected);
            }
        }
    }

    private const string UpdateFailed = "An error occurred while saving the entity changes. See the inner exception for details.";

    private static void CheckAffected(RowGroup group, int row, int affected)
    {
        if (group.ChecksRows && affected != 1)
        {
            throw new DbUpdateConcurrencyException(
                $"The database operation was expected to affect 1 row(s), but actually affected {affected} row(s); data may have been modified or deleted since entities were loaded.",
                [group.Rows[row]]);
        }
    }

    private static async Task ReadGeneratedAsync(DbDataReader reader, RowGroup group, int row, bool sync, CancellationToken cancellationToken)
    {
        if (!(sync ? reader.Read() : await reader.ReadAsync(cancellationToken)))
        {
            throw new DbUpdateConcurrencyException("The insert returned no row.", [group.Rows[row]]);
        }

        for (var i = 0; i < group.Generated.Length; i++)
        {
            var property = group.Generated[i];
            var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
            if (value is not null && group.GeneratedMappings[i].Converter is { } converter)
            {
                value = converter.ConvertFromProvider(value);
            }

            var clr = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            if (value is not null && value.GetType() != clr)
            {
                value = Convert.ChangeType(value, clr, CultureInfo.InvariantCulture);
            }

            group.Rows[row].SetStoreGeneratedValue(property, value);
        }
    }
}
