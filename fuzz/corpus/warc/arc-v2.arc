filedesc://IA-2.arc 192.0.2.7 20080430204825 text/plain 200 - - 0 IA-2.arc 121
2 0 Alexa Internet
URL IP-address Archive-date Content-type Result-code Checksum Location Offset Filename Archive-length

https://e.x/v2.html 192.0.2.7 20080430204825 text/html 200 - - 0 IA-2.arc 35
HTTP/1.1 301 Moved
Location: /


http://e.x/a b.html 192.0.2.7 200804302048 text/html 28
HTTP/1.1 200 OK

<p>ok</p>
