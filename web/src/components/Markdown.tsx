import ReactMarkdown from 'react-markdown';

/**
 * Model output rendered as markdown, safely: raw HTML is dropped (`skipHtml`) and react-markdown's
 * default URL transform neutralizes `javascript:` and other unsafe links.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        skipHtml
        components={{
          a: ({ node: _node, ...props }) => (
            <a {...props} target="_blank" rel="noopener noreferrer nofollow" />
          ),
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
