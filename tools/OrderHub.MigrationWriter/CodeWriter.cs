using System.Text;

namespace OrderHub.MigrationWriter;

/// <summary>A string builder that keeps the indentation of generated C#.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    public CodeWriter Lines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Line(line);
        }

        return this;
    }

    public IDisposable Indent()
    {
        _indent++;
        return new Outdent(this);
    }

    public IDisposable Block(string? opening = "{", string closing = "}")
    {
        if (opening is not null)
        {
            Line(opening);
        }

        _indent++;
        return new Outdent(this, closing);
    }

    public override string ToString() => _text.ToString();

    private sealed class Outdent(CodeWriter writer, string? closing = null) : IDisposable
    {
        public void Dispose()
        {
            writer._indent--;
            if (closing is not null)
            {
                writer.Line(closing);
            }
        }
    }
}
