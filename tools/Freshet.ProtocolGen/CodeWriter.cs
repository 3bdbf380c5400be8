using System.Text;

namespace Freshet.ProtocolGen;

/// <summary>An indenting line writer; output always uses '\n' so generation is byte-stable.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _sb.Append(' ', _indent * 4).Append(text);
        }
        _sb.Append('\n');
        return this;
    }

    public CodeWriter Open(string text)
    {
        if (text.Length > 0)
        {
            Line(text);
        }
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => _sb.ToString();
}
