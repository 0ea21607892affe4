package io.calsync.providers.caldav;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * WebDAV's XML answers read safely: namespace-aware, no DTDs, no external entities, no XInclude (a server's body
 * cannot make us read a file or a URL, or expand a billion laughs). A {@code multistatus} becomes its responses, each
 * with the properties its 200 {@code propstat} carries.
 */
final class DavXml {

    static final String DAV = "DAV:";
    static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    static final String CALSERVER = "http://calendarserver.org/ns/";
    static final String APPLE = "http://apple.com/ns/ical/";

    private DavXml() {}

    /** Not XML, or not the XML expected. */
    static final class BadXmlException extends RuntimeException {
        BadXmlException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One {@code response}: its href as written, the status of the response itself (a {@code status} beside the
     * href, as for a removed member in sync-collection; 0 when the status is per propstat) and the found properties.
     */
    record Response(String href, int status, Map<String, Element> found) {

        Element prop(String namespace, String name) {
            return found.get(namespace + name);
        }

        String text(String namespace, String name) {
            Element e = prop(namespace, name);
            return e == null ? null : e.getTextContent().strip();
        }

        /** The href inside a property ({@code current-user-principal}, {@code calendar-home-set}), or null. */
        String href(String namespace, String name) {
            Element e = prop(namespace, name);
            if (e == null) {
                return null;
            }
            Element h = child(e, DAV, "href");
            return h == null ? null : h.getTextContent().strip();
        }

        boolean gone() {
            return status == 404 || status == 410;
        }
    }

    /** A {@code multistatus}: its responses and, for sync-collection, the new sync token. */
    record MultiStatus(List<Response> responses, String syncToken) {}

    static MultiStatus multistatus(byte[] body) {
        Element root = parse(body).getDocumentElement();
        if (!DAV.equals(root.getNamespaceURI()) || !"multistatus".equals(root.getLocalName())) {
            throw new BadXmlException("the answer is not a WebDAV multistatus");
        }
        List<Response> responses = new ArrayList<>();
        String token = null;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e) || !DAV.equals(e.getNamespaceURI())) {
                continue;
            }
            if ("sync-token".equals(e.getLocalName())) {
                token = e.getTextContent().strip();
            } else if ("response".equals(e.getLocalName())) {
                responses.add(response(e));
            }
        }
        return new MultiStatus(List.copyOf(responses), token);
    }

    private static Response response(Element response) {
        Element href = child(response, DAV, "href");
        Element status = child(response, DAV, "status");
        Map<String, Element> found = new HashMap<>();
        for (Node n = response.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element propstat
                    && DAV.equals(propstat.getNamespaceURI())
                    && "propstat".equals(propstat.getLocalName())) {
                Element s = child(propstat, DAV, "status");
                Element prop = child(propstat, DAV, "prop");
                if (prop == null || (s != null && status(s.getTextContent()) / 100 != 2)) {
                    continue;
                }
                for (Node p = prop.getFirstChild(); p != null; p = p.getNextSibling()) {
                    if (p instanceof Element pe) {
                        found.put(nullToEmpty(pe.getNamespaceURI()) + pe.getLocalName(), pe);
                    }
                }
            }
        }
        return new Response(
                href == null ? null : href.getTextContent().strip(),
                status == null ? 0 : status(status.getTextContent()),
                Map.copyOf(found));
    }

    /** {@code HTTP/1.1 404 Not Found} → 404; anything unreadable → 0. */
    static int status(String line) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length >= 2) {
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** Whether a DAV {@code error} body names that precondition ({@code valid-sync-token}). */
    static boolean names(byte[] body, String namespace, String precondition) {
        try {
            Element root = parse(body).getDocumentElement();
            return root.getElementsByTagNameNS(namespace, precondition).getLength() > 0;
        } catch (BadXmlException e) {
            return false;
        }
    }

    static Element child(Element parent, String namespace, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    static List<Element> children(Element parent, String namespace, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    static Document parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadXmlException("the answer is empty");
        }
        try {
            return builder().parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw new BadXmlException("the answer is not well-formed XML");
        }
    }

    /** Text for an XML element's content. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // throws on fatal errors, prints nothing
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured safely", e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
